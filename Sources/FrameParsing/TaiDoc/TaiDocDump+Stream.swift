public import PocGateCore

extension TaiDocDump {
    /// `pocgate replay` of a TaiDoc capture as it is read (meter→host frames): the same
    /// readings and problems as `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
        var dump: TaiDocDump

        public init(profileID: String, models: TaiDocModels = .glucoseMeters) {
            self.profileID = profileID
            dump = TaiDocDump(models: models)
        }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let frame = stream.next() {
                switch dump.consume(frame) {
                case let .record(record):
                    let model = dump.model.map { "TD-\($0)" } ?? "unknown"
                    switch record.readings(profileID: profileID, serial: dump.serial ?? DecodedCapture.unknownSerial, model: model) {
                    case let .success(r): r.forEach { emit(.reading($0)) }
                    case let .failure(p): emit(.problem("\(p) [\(Hex.string(record.raw))]"))
                    }
                case let .recordProblem(p):
                    emit(.problem(p.description))
                default:
                    break
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceSerial = dump.serial
            s.deviceModel = dump.model.map { "TD-\($0)" }
            s.deviceClock = dump.clock
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }
}
