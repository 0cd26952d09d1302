public import PocGateCore

extension Ultra2Dump {
    /// `pocgate replay` of a Ultra 2 capture (meter→host lines) as it is read:
    /// the same readings and problems as `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(Ultra2LineDecoder())
        var dump = Ultra2Dump()

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let line = stream.next() {
                switch dump.consume(line) {
                case let .entry(entry):
                    switch entry.reading(profileID: profileID, serial: dump.serial ?? DecodedCapture.unknownSerial) {
                    case let .success(r): emit(.reading(r))
                    case let .failure(p): emit(.problem(p.description))
                    }
                case let .problem(p):
                    emit(.problem(p.description))
                default:
                    break
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = dump.serial
            s.deviceModel = Ultra2Dump.model
            s.deviceClock = dump.clock
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
