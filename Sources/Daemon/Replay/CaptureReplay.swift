public import DeviceProfiles
public import FrameParsing
public import PocGateCore

/// Decodes a raw capture of what a device sent, through the same decoder and dump assembly
/// the live session uses. No I/O: the caller reads the file.
public struct CaptureReplay {
    /// What a capture decoded to.
    public struct Result: Sendable {
        public var readings: [Reading] = []
        /// Records that could not become readings, with the reason.
        public var problems: [String] = []
        public var deviceSerial: String?
        public var deviceModel: String?
        public var deviceClock: LocalDateTime?
        public var counters = DecodeCounters()
    }

    public let profile: DeviceProfile

    public init(profile: DeviceProfile) { self.profile = profile }

    /// Decodes `bytes`. A capture without the serial replies yields readings with device
    /// `unknown`, because replay is for checking decoding, not for storing.
    public func decode(_ bytes: [UInt8]) -> Result {
        switch profile.protocol {
        case .taidocTD42xx: return decodeTaiDoc(bytes)
        }
    }

    private func decodeTaiDoc(_ bytes: [UInt8]) -> Result {
        var result = Result()
        var stream = FrameStream(TaiDocFrameDecoder(direction: .meterToHost))
        var dump = TaiDocDump()
        stream.append(bytes)
        while let frame = stream.next() {
            switch dump.consume(frame) {
            case let .record(record):
                let model = dump.model.map { "TD-\($0)" } ?? "unknown"
                switch record.reading(profileID: profile.id, serial: dump.serial ?? "unknown", model: model) {
                case let .success(r): result.readings.append(r)
                case let .failure(p): result.problems.append("\(p) [\(Hex.string(record.raw))]")
                }
            case let .recordProblem(p):
                result.problems.append(p.description)
            default:
                break
            }
        }
        result.deviceSerial = dump.serial
        result.deviceModel = dump.model.map { "TD-\($0)" }
        result.deviceClock = dump.clock
        result.counters = stream.counters
        return result
    }
}
