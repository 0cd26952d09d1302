import Daemon
public import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import FrameParsing
public import PocGateCore
public import Sessions

extension ReplayInput {
    /// The content of a capture file.
    ///
    /// - A two-way capture (`pocgate capture`): each device record at the capture's `started`
    ///   time plus the record's offset, in `zone`.
    /// - A plain capture holds no times: all of it at `plainReceivedAt` (the caller's choice,
    ///   `--received-at` or the file's modification time), in `zone`.
    ///
    /// `receivedAt`, when given, overrides both: every byte at that local time.
    public static func read(_ file: [UInt8], zone: ZoneInfo, plainReceivedAt: Date,
                            receivedAt: LocalDateTime? = nil) throws(CaptureFile.ReadError) -> ReplayInput {
        guard CaptureFile.isCapture(file) else {
            return ReplayInput(bytes: file, receivedAt: receivedAt ?? local(plainReceivedAt, zone))
        }
        let capture = try CaptureFile.parse(file)
        let started = startTime(capture.header) ?? plainReceivedAt
        let device = capture.deviceChunks
        return ReplayInput(chunks: device.map { chunk in
            let at = started.addingTimeInterval(TimeInterval(chunk.micros) / 1_000_000)
            return Chunk(receivedAt: receivedAt ?? local(at, zone), bytes: chunk.bytes)
        })
    }

    /// The header's `started` (ISO 8601, UTC), when it has one that parses.
    static func startTime(_ header: String) -> Date? {
        struct Header: Decodable { var started: String? }
        guard let text = (try? JSONDecoder().decode(Header.self, from: Data(header.utf8)))?.started else { return nil }
        return ISO8601Instant.millis(text).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// `date` as local time in `zone`.
    public static func local(_ date: Date, _ zone: ZoneInfo) -> LocalDateTime {
        DeviceClockSettings(zone: zone).localTime(millis: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
