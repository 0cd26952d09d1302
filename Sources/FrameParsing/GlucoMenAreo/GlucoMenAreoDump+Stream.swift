public import PocGateCore

extension GlucoMenAreoDump {
    /// `pocgate replay` of a GlucoMen areo capture as it is read: the same readings and problems as
    /// `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(GlucoMenAreoBlockDecoder())
        var dump = GlucoMenAreoDump()

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let block = stream.next() {
                switch dump.consume(block) {
                case .info:
                    break
                case let .readings(entries):
                    let serial = dump.info?.serial ?? DecodedCapture.unknownSerial
                    for entry in entries {
                        switch entry.reading(profileID: profileID, serial: serial) {
                        case let .success(r): emit(.reading(r))
                        case let .failure(p): emit(.problem(p.description))
                        }
                    }
                case let .problem(p):
                    emit(.problem(p.description))
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = dump.info?.serial
            s.deviceModel = GlucoMenAreoDump.model
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
