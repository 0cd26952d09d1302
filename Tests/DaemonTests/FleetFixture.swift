import Foundation
import Logging
import Synchronization
import PocGateCore
import Store

/// A store with known content for the heartbeat and metrics tests: meter METER-A (profile
/// taidoc-td4277, one complete session) with four glucose readings — one waiting, one
/// uploaded, one dead letter, and the newest held for its clock — and meter METER-B
/// (generic-astm-poct), its session still open, with none.
struct FleetFixture {
    let directory: String
    let store: Store
    /// Gateway − device clock of the held reading, seconds (the newest with a clock).
    let heldOffset: Int64
    /// 2024-06-15T00:00:00Z: the fixture's times are minutes after it.
    static let base: Int64 = 1_718_409_600_000

    /// `base` + `seconds`, in Unix milliseconds.
    static func at(_ seconds: Int64) -> Int64 { base + seconds * 1000 }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-fleet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try Store(path: directory + "/pocgate.db", limits: .megabytes(16))
        let a = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "taidoc-td4277", startedAtMillis: Self.at(30))
        try store.identifySession(a, deviceSerial: "METER-A", deviceModel: "TD-4277", deviceClock: nil, gatewayClockMillis: Self.at(30))
        func reading(_ key: String) -> Reading {
            Reading(profileID: "taidoc-td4277", deviceSerial: "METER-A", deviceModel: "TD-4277", recordKey: key, kind: .glucose,
                    code: "41653-7", value: ExactDecimal(parsing: "101")!, unit: "mg/dL",
                    deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30), flags: [], raw: [0x01])
        }
        let provenance = ReadingProvenance(gatewayID: "gw-test", profileVersion: 1, profileHash: "ff")
        _ = try store.insert(reading("k1"), sessionID: a, receivedAtMillis: Self.at(60), provenance: provenance)
        _ = try store.insert(reading("k2"), sessionID: a, receivedAtMillis: Self.at(120), provenance: provenance)
        _ = try store.insert(reading("k4"), sessionID: a, receivedAtMillis: Self.at(180), provenance: provenance)
        let held = reading("k3")
        let verdict = DeviceTimeVerdict(deviceTime: LocalDateTime(year: 2000, month: 1, day: 1),
                                        deviceClock: LocalDateTime(year: 2000, month: 1, day: 1),
                                        gatewayClock: held.deviceTime, policy: ClockPolicy())
        heldOffset = verdict.skewSeconds ?? 0
        _ = try store.insert(held, sessionID: a, receivedAtMillis: Self.at(240), provenance: provenance, time: verdict)
        try store.endSession(a, outcome: "complete", recordsRead: 4, recordsNew: 4, endedAtMillis: Self.at(300))
        // Readings 2 and 3 go in batch 1: 2 is acknowledged, 3 refused for good.
        _ = try store.createBatch(BatchDraft(gatewayID: "gw-test", body: [], bodySHA256: "h", manifest: "[]", readingIDs: [2, 3]),
                                  createdAtMillis: Self.at(330)) { _, _ in "s" }
        try store.settleBatch(1, status: 200, delivered: [2], deferred: [], deadLetters: [
            DeadLetterDraft(readingID: 3, httpStatus: 422, reason: "Observation entry: status 422", response: nil),
        ], atMillis: Self.at(360))
        let b = try store.beginSession(devnode: "/dev/rfcomm0", profileID: "generic-astm-poct", startedAtMillis: Self.at(420))
        try store.identifySession(b, deviceSerial: "METER-B", deviceModel: "", deviceClock: nil, gatewayClockMillis: Self.at(420))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Log events captured in memory: level, message and metadata.
final class LineCapture: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    func logger() -> Logger { Logger(label: "test.fleet") { _ in Handler(capture: self) } }

    struct Handler: LogHandler {
        let capture: LineCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[key] = "\(value)" }
            capture.storage.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", metadata: flat)) }
        }
    }
}
