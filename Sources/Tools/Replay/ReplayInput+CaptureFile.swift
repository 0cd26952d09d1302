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
        let clock = recordClock(header: capture.header, zone: zone, plainReceivedAt: plainReceivedAt, receivedAt: receivedAt)
        return ReplayInput(chunks: capture.deviceChunks.map { Chunk(receivedAt: clock($0.micros), bytes: $0.bytes) })
    }

    /// When a two-way capture's record `micros` after its start was received: the header's
    /// `started` (or `plainReceivedAt` when it has none) plus the offset, in `zone`; or
    /// `receivedAt` for every record when given.
    public static func recordClock(header: String, zone: ZoneInfo, plainReceivedAt: Date,
                                   receivedAt: LocalDateTime? = nil) -> (_ micros: UInt64) -> LocalDateTime {
        let started = startTime(header) ?? plainReceivedAt
        return { micros in receivedAt ?? local(started.addingTimeInterval(TimeInterval(micros) / 1_000_000), zone) }
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
