public import PocGateCore

extension LifeScanDump {
    /// `pocgate replay` of a LifeScan conversation capture as it is read: the same readings
    /// and problems as `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(LifeScanFrameDecoder())
        var dump = LifeScanDump()

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let frame = stream.next() {
                switch dump.consume(frame) {
                case let .record(record):
                    let serial = dump.serial ?? DecodedCapture.unknownSerial
                    switch record.reading(profileID: profileID, serial: serial, model: dump.modelName ?? record.dialect.modelName) {
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
            s.deviceModel = dump.modelName
            s.deviceClock = dump.clock
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
