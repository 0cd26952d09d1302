public import PocGateCore

extension OmronDump {
    /// `pocgate replay` of a capture of the input reports an Omron HEM-790IT-class monitor sent:
    /// the same readings and problems as `decodeCapture`, in bounded memory.
    public struct CaptureStream: CaptureStreamDecoder {
        let profileID: String
        var stream = FrameStream(OmronResponseDecoder())
        var dump = OmronDump()

        public init(profileID: String) { self.profileID = profileID }

        public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
            stream.append(bytes)
            while let response = stream.next() {
                switch dump.consume(response) {
                case let .record(record):
                    switch record.readings(profileID: profileID, monitorSerial: DecodedCapture.unknownSerial, model: OmronDump.model) {
                    case let .success(readings): readings.forEach { emit(.reading($0)) }
                    case let .failure(problem): emit(.problem(problem.description))
                    }
                case let .problem(problem):
                    emit(.problem(problem.description))
                case .bank, .refused, .control:
                    break
                }
            }
        }

        public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
            var s = CaptureStreamSummary()
            s.deviceModel = OmronDump.model
            s.counters = stream.counters
            s.pendingBytes = stream.pendingCount
            return s
        }
    }

    /// Replays a capture of what the monitor sent into readings. The answers carry no serial,
    /// so readings name the device `unknown-A` / `unknown-B`.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
