public import PocGateCore

extension TaiDocDump {
    /// `pocgate replay` of a TaiDoc capture as it is read (meter→host frames): the same
    /// readings and problems as `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
        var dump: TaiDocDump
        /// `TD-` and the model the device reported, written once when it reports it.
        var modelName = "unknown"
        /// The model `modelName` was written from.
        var reportedModel: String?

        public init(profileID: String, models: TaiDocModels = .glucoseMeters) {
            self.profileID = profileID
            dump = TaiDocDump(models: models)
        }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let frame = stream.next() {
                switch dump.consume(frame) {
                case let .model(m):
                    if m != reportedModel {
                        modelName = "TD-\(m)"
                        reportedModel = m
                    }
                case let .record(record):
                    let serial = dump.serial ?? DecodedCapture.unknownSerial
                    if let p = record.forEachReading(profileID: profileID, serial: serial, model: modelName, { emit(.reading($0)) }) {
                        emit(.problem("\(p) [\(Hex.string(record.raw))]"))
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
