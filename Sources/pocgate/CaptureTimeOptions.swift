import Sessions
import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import FrameParsing
import PocGateCore

/// How `pocgate replay` and `pocgate profile test` date what a capture holds. Only devices
/// whose frames carry no time (the AA 55 kiosk board) use it: their readings are stamped with
/// the time the gateway received the bytes, never a made-up date.
struct CaptureTimeOptions: ParsableArguments {
    @Option(name: .long, help: "When the capture was received, local time YYYY-MM-DDTHH:MM:SS. Default: a two-way capture's own record times; for a plain capture, the file's modification time.")
    var receivedAt: String?

    @Option(name: .long, help: "The gateway's time zone, to turn a capture's receive times into local time (default Asia/Shanghai).")
    var timeZone: String = "Asia/Shanghai"

    func validate() throws {
        if let receivedAt, LocalDateTime(iso: receivedAt) == nil {
            throw ValidationError("--received-at '\(receivedAt)' is not a local time like 2024-06-15T08:30:00")
        }
        if !ZoneInfo.exists(timeZone) {
            throw ValidationError("--time-zone '\(timeZone)' is not an IANA zone name such as Asia/Shanghai")
        }
    }

    /// When a plain capture at `path` was received: `--received-at`, or the file's
    /// modification time in `--time-zone`.
    func plainReceivedAt(_ path: String) -> LocalDateTime {
        if let given = receivedAt.flatMap(LocalDateTime.init(iso:)) { return given }
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        return ReplayInput.local(modified, ZoneInfo.named(timeZone) ?? .utc)
    }

    /// The record clock of a two-way capture at `path` with `header`: its records' receive times.
    func recordClock(_ path: String) -> (_ header: String) -> (_ micros: UInt64) -> LocalDateTime {
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        let zone = ZoneInfo.named(timeZone) ?? .utc
        let given = receivedAt.flatMap(LocalDateTime.init(iso:))
        return { header in ReplayInput.recordClock(header: header, zone: zone, plainReceivedAt: modified, receivedAt: given) }
    }

    /// The device's side of the capture file at `path`, with receive times.
    func read(_ path: String) throws -> ReplayInput {
        let data: [UInt8]
        do { data = try BoundedFile.contents(of: path, limit: CaptureFileLimits.replayBytes) } catch {
            throw ValidationError("capture file: \(error)")
        }
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        do {
            return try ReplayInput.read(data, zone: ZoneInfo.named(timeZone) ?? .utc, plainReceivedAt: modified,
                                        receivedAt: receivedAt.flatMap(LocalDateTime.init(iso:)))
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}
