import PocGateCore
import Store
import TestSupport
import Testing

/// Values held for a person to check (`implausible-value`, `device-warning`): released one
/// reading at a time, audited, and never released by another reason's release.
@Suite struct ValueReleaseStoreTests {
    static func held(_ key: String, _ hold: ValueHold) -> Reading {
        var r = sampleReading(key: key, value: "33.3", unit: "mmol/L", flags: [])
        r.valueHold = hold
        return r
    }

    @Test func aValueCheckedByAPersonIsReleasedOnceAndAudited() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("v.db"))
        guard case let .inserted(id) = try store.insert(Self.held("hi", .implausibleValue), sessionID: nil, receivedAtMillis: 1),
              case let .inserted(warned) = try store.insert(Self.held("w", .deviceWarning), sessionID: nil, receivedAtMillis: 2) else {
            Issue.record("not inserted")
            return
        }
        #expect(try store.heldValues().map(\.reason) == ["implausible-value", "device-warning"])
        #expect(throws: StoreError.self, "a reading held for another reason is not released under this one") {
            try store.releaseValue(readingID: warned, reason: .implausibleValue, note: "x", patients: .center, actor: "t", atMillis: 3)
        }
        #expect(try store.releaseValue(readingID: id, reason: .implausibleValue, note: "repeated: 33.1", patients: .center,
                                       actor: "nurse", atMillis: 5))
        let rows = try store.batchCandidates(limit: 10, nowMillis: 10)
        #expect(rows.map(\.id) == [id])
        #expect(rows.first?.valueReleasedAtMillis == 5 && rows.first?.reading.valueHold == .implausibleValue)
        let audit = try #require(try store.auditLog().first)
        #expect(audit.action == "release-value" && audit.actor == "nurse" && audit.atMillis == 5)
        #expect(audit.detail?.contains("repeated: 33.1") == true && audit.detail?.contains("reading \(id)") == true)
        #expect(try store.heldValues().map(\.id) == [warned])
        #expect(throws: StoreError.self, "released once: a second release changes nothing") {
            try store.releaseValue(readingID: id, reason: .implausibleValue, note: "again", patients: .center, actor: "t", atMillis: 6)
        }
    }

    @Test func releasingClockHoldsNeverUploadsAnImplausibleValueUnchecked() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("c.db"))
        let reading = Self.held("both", .implausibleValue)
        let verdict = DeviceTimeVerdict(deviceTime: LocalDateTime(year: 2000, month: 1, day: 1), deviceClock: nil,
                                        gatewayClock: LocalDateTime(year: 2024, month: 6, day: 15), policy: ClockPolicy())
        #expect(verdict.hold == .clockReset)
        _ = try store.insert(reading, sessionID: nil, receivedAtMillis: 1, time: verdict)
        let outcome = try store.releaseHeld(reasons: ClockHold.allCases.map(\.rawValue), patients: .center, actor: "t", atMillis: 2)
        #expect(outcome.released == 0 && outcome.stillHeld == 1)
        #expect(try store.batchCandidates(limit: 10, nowMillis: 10).isEmpty)
        #expect(try store.queueSummary().heldReadings == ["implausible-value": 1])
    }

    @Test func aValueHeldBeforeSchemaV8IsStillUploadedAsReviewedAfterItsRelease() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("v7.db")
        do {
            let store = try Store(path: path)
            _ = try store.insert(Self.held("old", .implausibleValue), sessionID: nil, receivedAtMillis: 1)
            // As a v7 pocgate left it: the hold only in the outbox.
            try store.executeRaw("""
                ALTER TABLE readings DROP COLUMN time_precision;
                ALTER TABLE readings DROP COLUMN value_hold;
                ALTER TABLE readings DROP COLUMN value_released_at_ms;
                DELETE FROM schema_migrations WHERE version >= 8;
                """)
        }
        let store = try Store(path: path)
        #expect(store.schemaVersion == 8)
        let id = try #require(try store.heldValues().first?.id)
        #expect(try store.releaseValue(readingID: id, reason: .implausibleValue, note: "checked", patients: .center,
                                       actor: "t", atMillis: 2))
        let row = try #require(try store.batchCandidates(limit: 10, nowMillis: 10).first)
        #expect(row.reading.valueHold == .implausibleValue && row.valueReleasedAtMillis == 2)
    }
}
