import Tools
import Sessions
import Transports
@testable import Daemon
import Foundation
import Logging
import PocGateCore
import Store
import Synchronization
import Testing
import Uplink

/// The live session's path applies the device-time rule (docs/CODES.md, "Device time").
@Suite("StoreSink: device time", .serialized)
struct StoreSinkClockTests {
    final class Lines: Sendable {
        let storage = Mutex<[(Logger.Level, String)]>([])
        func logger() -> Logger { Logger(label: "test") { _ in Handler(lines: self) } }
        func codes(_ code: LogCode) -> [Logger.Level] { storage.withLock { $0.filter { $0.1 == code.rawValue }.map(\.0) } }
        struct Handler: LogHandler {
            let lines: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let code = event.metadata?["code"].map { "\($0)" } ?? ""
                lines.storage.withLock { $0.append((event.level, code)) }
            }
        }
    }

    struct Fixture {
        let dir: String
        let store: Store
        let sink: StoreSink
        let lines = Lines()

        init(limits: StoreLimits = .unlimited) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-sink-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            store = try Store(path: dir + "/pocgate.db", limits: limits)
            let key = GatewayKey(privateKey: Ed25519PrivateKey())
            let uplink = try Uplink(store: store, signer: BatchSigner(gatewayID: "gw", key: key),
                                    settings: UplinkSettings(url: "https://center.example/fhir"), logger: lines.logger())
            let session = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "taidoc-td4277", startedAtMillis: 1)
            sink = StoreSink(store: store, sessionID: session, uplink: uplink, provenance: ReadingProvenance(),
                             clock: DeviceClockSettings(), logger: lines.logger(), stopRequested: { false }, progress: { _ in })
        }

        func remove() { try? FileManager.default.removeItem(atPath: dir) }
    }

    static func reading(_ key: String, at time: LocalDateTime) -> Reading {
        Reading(profileID: "taidoc-td4277", deviceSerial: "METER", deviceModel: "TD-4277", recordKey: key, kind: .glucose,
                code: "41653-7", value: ExactDecimal(parsing: "99")!, unit: "mg/dL", deviceTime: time, flags: [], raw: [0x51])
    }

    @Test("clinical risk: a meter reset to 2000-01-01 (battery change) — its readings are stored but held, never uploaded with a 2000 date, and visible in the queue")
    func resetMeterIsHeldAndLoggedOnce() throws {
        let f = try Fixture()
        defer { f.remove() }
        try f.sink.identified(serial: "METER", model: "TD-4277", deviceClock: LocalDateTime(year: 2000, month: 1, day: 1, hour: 0, minute: 12))
        #expect(try f.sink.received(Self.reading("a", at: LocalDateTime(year: 2000, month: 1, day: 1, hour: 0, minute: 5))))
        #expect(try f.sink.received(Self.reading("b", at: LocalDateTime(year: 2000, month: 1, day: 1, hour: 0, minute: 10))))
        #expect(try f.store.batchCandidates(limit: 10, nowMillis: Int64.max / 2).isEmpty)
        let summary = try f.store.queueSummary()
        #expect(summary.heldReadings == ["clock-reset": 2] && summary.pending == 0 && summary.readings == 2)
        #expect(QueueText.summary(summary, nowMillis: 0).contains("held (implausible meter clock, not uploaded): 2 (clock-reset 2)"))
        #expect(f.lines.codes(.clockReadingsHeld) == [.warning], "PG-CLK-002 once per session")
    }

    @Test("clinical risk: a meter 2 h slow — the reading is queued with its time corrected by +2 h, logged once")
    func slowMeterIsCorrectedAndLoggedOnce() throws {
        let f = try Fixture()
        defer { f.remove() }
        let now = DeviceClockSettings().localTime(millis: WallClock.millis())
        try f.sink.identified(serial: "METER", model: "TD-4277", deviceClock: LocalDateTime(secondsSinceEpoch: now.secondsSinceEpoch - 7200))
        let measured = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
        #expect(try f.sink.received(Self.reading("a", at: measured)))
        #expect(try f.sink.received(Self.reading("b", at: LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 0))))
        let rows = try f.store.batchCandidates(limit: 10, nowMillis: Int64.max / 2)
        #expect(rows.count == 2)
        let row = try #require(rows.first)
        #expect(row.reading.deviceTime == measured)
        let offset = try #require(row.clockOffsetSeconds)
        #expect((7200...7205).contains(offset))
        #expect(row.correctedTime == LocalDateTime(secondsSinceEpoch: measured.secondsSinceEpoch + offset))
        #expect(f.lines.codes(.clockSkewCorrected) == [.warning], "PG-CLK-001 once per session")
        #expect(f.lines.codes(.clockReadingsHeld).isEmpty)
    }

    @Test("clinical risk: a result dated to the day from a device 2 h slow keeps its date — never moved to 02:00 or the next day")
    func dateOnlyReadingIsNotCorrectedForSkew() throws {
        let f = try Fixture()
        defer { f.remove() }
        let now = DeviceClockSettings().localTime(millis: WallClock.millis())
        try f.sink.identified(serial: "METER", model: "TD-4277", deviceClock: LocalDateTime(secondsSinceEpoch: now.secondsSinceEpoch - 7200))
        let day = LocalDateTime(year: 2024, month: 6, day: 15)
        var reading = Self.reading("a", at: day)
        reading.timePrecision = .day
        #expect(try f.sink.received(reading))
        let row = try #require(try f.store.batchCandidates(limit: 10, nowMillis: Int64.max / 2).first)
        #expect(row.reading.timePrecision == .day)
        #expect(row.effectiveTime == day, "the date as sent, not shifted by the skew")
        #expect(f.lines.codes(.clockSkewCorrected).isEmpty, "nothing was corrected")
    }

    @Test("a meter whose clock could not be read: its device times are used as they are")
    func unreadableClockUsesDeviceTime() throws {
        let f = try Fixture()
        defer { f.remove() }
        try f.sink.identified(serial: "METER", model: "TD-4277", deviceClock: nil)
        let measured = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
        #expect(try f.sink.received(Self.reading("a", at: measured)))
        let row = try #require(try f.store.batchCandidates(limit: 10, nowMillis: Int64.max / 2).first)
        #expect(row.clockOffsetSeconds == nil && row.effectiveTime == measured)
        #expect(f.lines.codes(.clockSkewCorrected).isEmpty && f.lines.codes(.clockReadingsHeld).isEmpty)
    }
}
