import Foundation
import PocGateCore
import Testing
@testable import Store

/// Device time in the store (docs/CODES.md, "Device time"): the verdict's corrected time and
/// clock offset are kept per reading, and a reading with an implausible time is held in the
/// outbox — never selected for upload — and counted per reason for `pocgate queue`.
@Suite("Store: device time")
struct DeviceTimeStoreTests {
    static let gatewayClock = LocalDateTime(year: 2024, month: 6, day: 15, hour: 10, minute: 30)

    static func verdict(_ reading: Reading, deviceClock: LocalDateTime?) -> DeviceTimeVerdict {
        DeviceTimeVerdict(deviceTime: reading.deviceTime, deviceClock: deviceClock, gatewayClock: gatewayClock,
                          policy: ClockPolicy())
    }

    @Test("a meter 2 h slow: the reading is queued with its time corrected by the skew, the device time kept")
    func slowMeterIsCorrected() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("pocgate.db"))
        let reading = sampleReading()
        let time = Self.verdict(reading, deviceClock: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(time.corrected && time.hold == nil)
        _ = try store.insert(reading, sessionID: nil, receivedAtMillis: 1, time: time)
        let row = try #require(try store.batchCandidates(limit: 10, nowMillis: 10).first)
        #expect(row.reading.deviceTime == reading.deviceTime)
        #expect(row.clockOffsetSeconds == 7200)
        #expect(row.correctedTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 10, minute: 30))
        #expect(row.effectiveTime == row.correctedTime)
    }

    @Test("a meter reset to 2000-01-01: the reading is stored but held (clock-reset), never a batch candidate, visible in the queue")
    func resetMeterIsHeld() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("pocgate.db"))
        var reset = sampleReading(key: "reset")
        reset.deviceTime = LocalDateTime(year: 2000, month: 1, day: 1, hour: 0, minute: 5)
        let time = Self.verdict(reset, deviceClock: LocalDateTime(year: 2000, month: 1, day: 1, hour: 0, minute: 30))
        #expect(time.hold == .clockReset)
        _ = try store.insert(reset, sessionID: nil, receivedAtMillis: 1, time: time)
        let good = sampleReading(key: "good")
        _ = try store.insert(good, sessionID: nil, receivedAtMillis: 2,
                             time: Self.verdict(good, deviceClock: Self.gatewayClock))

        #expect(try store.batchCandidates(limit: 10, nowMillis: 10).map(\.reading.recordKey) == ["good"])
        #expect(try store.dueOutbox(limit: 10, nowMillis: 10).map(\.reading.recordKey) == ["good"])
        let summary = try store.queueSummary()
        #expect(summary.pending == 1 && summary.heldReadings == ["clock-reset": 1] && summary.readings == 2)
        let status = try store.status()
        #expect(status.pending == 1 && status.heldReadings == ["clock-reset": 1] && status.held == 1)
        #expect(try store.stats().pending == 1)
        // Delivering the sendable one leaves nothing due: the held row does not wake the uplink.
        try store.markDelivered([try #require(try store.batchCandidates(limit: 10, nowMillis: 10).first).id], atMillis: 20)
        #expect(try store.nextAttemptAtMillis() == nil)
        #expect(try store.nextDueAtMillis() == nil)
        #expect(try store.textColumn("SELECT device_time FROM readings WHERE record_key = 'reset'") == ["2000-01-01T00:05:00"])
    }

    @Test("migration v3 removes outbox rows of control-solution results queued by older versions")
    func migrationDropsQueuedControlResults() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("v2.db")
        do {
            let store = try Store(path: path)
            _ = try store.insert(sampleReading(key: "c", flags: [.controlSolution]), sessionID: nil, receivedAtMillis: 1)
            _ = try store.insert(sampleReading(key: "p", flags: []), sessionID: nil, receivedAtMillis: 2)
            // As a v2 pocgate left it: the control result queued, no v3 columns.
            try store.executeRaw("""
                INSERT INTO outbox(reading_id) SELECT id FROM readings WHERE record_key = 'c';
                DROP INDEX readings_identity;
                ALTER TABLE readings DROP COLUMN utc_offset_s;
                ALTER TABLE readings DROP COLUMN status;
                ALTER TABLE readings DROP COLUMN identity;
                ALTER TABLE readings DROP COLUMN amends_key;
                ALTER TABLE readings DROP COLUMN body_site;
                ALTER TABLE readings DROP COLUMN time_precision;
                ALTER TABLE readings DROP COLUMN value_hold;
                ALTER TABLE readings DROP COLUMN value_released_at_ms;
                DROP INDEX outbox_held;
                ALTER TABLE outbox DROP COLUMN held_reason;
                ALTER TABLE readings DROP COLUMN corrected_time;
                ALTER TABLE readings DROP COLUMN clock_offset_s;
                ALTER TABLE readings DROP COLUMN patient_id;
                ALTER TABLE readings DROP COLUMN components;
                ALTER TABLE readings DROP COLUMN waveform;
                ALTER TABLE readings DROP COLUMN bound_patient_id;
                ALTER TABLE readings DROP COLUMN attached_patient_id;
                ALTER TABLE readings DROP COLUMN ecg_context;
                DROP TABLE device_bindings;
                DROP TABLE audit_log;
                DROP TABLE record_problems;
                DELETE FROM schema_migrations WHERE version >= 3;
                """)
            #expect(try store.textColumn("SELECT COUNT(*) FROM outbox") == ["2"])
        }
        let store = try Store(path: path)
        #expect(store.schemaVersion == Store.supportedSchemaVersion)
        #expect(try store.batchCandidates(limit: 10, nowMillis: 10).map(\.reading.recordKey) == ["p"])
        #expect(try store.textColumn("SELECT COUNT(*) FROM readings") == ["2"])
        let row = try #require(try store.batchCandidates(limit: 10, nowMillis: 10).first)
        #expect(row.correctedTime == nil && row.effectiveTime == row.reading.deviceTime)
    }
}
