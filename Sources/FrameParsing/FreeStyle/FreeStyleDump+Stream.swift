public import PocGateCore

extension FreeStyleDump {
    /// `pocgate replay` of a FreeStyle Optium capture as it is read:
    /// the same readings and problems as `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(FreeStyleLineDecoder())
        var dump = FreeStyleDump()

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let line = stream.next() {
                switch dump.consume(line) {
                case let .dump(serial, _, _, entries):
                    for entry in entries {
                        switch entry.reading(profileID: profileID, serial: serial) {
                        case let .success(r): emit(.reading(r))
                        case let .failure(p): emit(.problem(p.description))
                        }
                    }
                case let .problem(p):
                    emit(.problem(p.description))
                case .none:
                    break
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = dump.serial
            s.deviceModel = FreeStyleDump.model
            s.deviceClock = dump.clock
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
