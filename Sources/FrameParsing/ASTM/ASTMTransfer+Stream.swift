public import PocGateCore

extension ASTMTransfer {
    /// `pocgate replay` of an ASTM capture as it is read: the same readings and problems as
    /// `decodeCapture`, in bounded memory. A transfer still open at the end of the capture is
    /// reported by `finish` as the live session's timeout would.
    public struct CaptureStream: CaptureStreamDecoder {
        var stream = FrameStream(ASTMFrameDecoder())
        var receiver: ASTMReceiver

        public init(profileID: String, analytes: AnalyteTable, charset: ASTMCharset = .utf8) {
            receiver = ASTMReceiver(profileID: profileID, analytes: analytes, charset: charset)
        }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let event = stream.next() {
                _ = receiver.take(event) { output in
                    switch output {
                    case let .reading(r): emit(.reading(r))
                    case let .problem(p, _): emit(.problem(p.description))
                    case .header, .transferEnded: break
                    }
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            if receiver.inTransfer {
                let dropped = receiver.timedOut()
                if dropped > 0 { emit(.problem(ASTMProblem.incompleteRecord(bytes: dropped).description)) }
            }
            var s = CaptureStreamSummary()
            s.deviceSerial = receiver.transfer.serial
            s.deviceModel = receiver.transfer.model
            s.deviceClock = receiver.transfer.clock
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
