public import PocGateCore

extension ASTMTransfer {
    /// Replays a capture of what an ASTM device sent (ENQ, frames, EOT) into readings, through
    /// the receiver a live session runs. A frame the decoder rejects is what the session would
    /// NAK; the device's retransmission that follows is taken in its place.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, analytes: AnalyteTable,
                                     charset: ASTMCharset = .utf8) -> DecodedCapture {
        var out = DecodedCapture()
        var stream = FrameStream(ASTMFrameDecoder())
        var receiver = ASTMReceiver(profileID: profileID, analytes: analytes, charset: charset)
        stream.append(bytes)
        while let event = stream.next() {
            _ = receiver.take(event) { output in
                switch output {
                case let .reading(r): out.readings.append(r)
                case let .problem(p, _): out.problems.append(p.description)
                case .header, .transferEnded: break
                }
            }
        }
        if receiver.inTransfer {
            let dropped = receiver.timedOut()
            if dropped > 0 { out.problems.append(ASTMProblem.incompleteRecord(bytes: dropped).description) }
        }
        out.deviceSerial = receiver.transfer.serial
        out.deviceModel = receiver.transfer.model
        out.deviceClock = receiver.transfer.clock
        out.counters = stream.counters
        out.pendingBytes = stream.pendingCount
        return out
    }
}
