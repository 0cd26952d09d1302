import PocGateCore
import Store
import TestSupport
import Testing

/// Corrections, withdrawals and preliminary → final results (HL7 OBX-11 C/W/P→F, ASTM R.9 C):
/// stored beside the reading they amend, linked to it, and queued as an update of it; the
/// device's status, UTC offset and body site kept; a held value never selected for a batch.
@Suite struct AmendmentStoreTests {
    static func reading(_ key: String, _ value: String, _ status: ResultStatus, identity: String? = "F77|2339-0|1|x") -> Reading {
        var r = sampleReading(key: key, value: value, unit: "mg/dL", flags: [])
        r.status = status
        r.identity = identity
        return r
    }

    @Test func aCorrectionIsLinkedToTheReadingItAmendsNotQueuedAsASecondReading() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("a.db"))
        _ = try store.insert(Self.reading("orig", "98", .preliminary), sessionID: nil, receivedAtMillis: 1)
        _ = try store.insert(Self.reading("fix", "89", .corrected), sessionID: nil, receivedAtMillis: 2)
        _ = try store.insert(Self.reading("final", "89", .final), sessionID: nil, receivedAtMillis: 3)
        _ = try store.insert(Self.reading("other", "120", .corrected, identity: "F78|2339-0|1|x"), sessionID: nil, receivedAtMillis: 4)
        let rows = try store.batchCandidates(limit: 10, nowMillis: 10)
        #expect(rows.map(\.reading.recordKey) == ["orig", "fix", "final", "other"])
        #expect(rows.map(\.amendsRecordKey) == [nil, "orig", "orig", nil],
                "a correction of a result never seen is sent as a new Observation with status corrected")
        #expect(rows.map(\.reading.status) == [.preliminary, .corrected, .final, .corrected])
    }

    @Test func theDevicesOffsetBodySiteAndValueHoldAreKept() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("b.db"))
        var r = Self.reading("t", "36.8", .final)
        r.utcOffsetSeconds = -18_000
        r.bodySite = "Oral"
        _ = try store.insert(r, sessionID: nil, receivedAtMillis: 1)
        var held = Self.reading("h", "110000000000000000", .final, identity: nil)
        held.valueHold = .implausibleValue
        _ = try store.insert(held, sessionID: nil, receivedAtMillis: 2)
        let rows = try store.batchCandidates(limit: 10, nowMillis: 10)
        #expect(rows.map(\.reading.recordKey) == ["t"], "an implausible value is never selected for upload")
        #expect(rows[0].reading.utcOffsetSeconds == -18_000 && rows[0].reading.bodySite == "Oral")
        #expect(try store.queueSummary().heldReadings == ["implausible-value": 1])
    }

    @Test func theDevicesTimePrecisionIsKeptSoADateIsNotUploadedAsMidnight() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("c.db"))
        var day = Self.reading("d", "98", .final, identity: nil)
        day.timePrecision = .day
        var fraction = Self.reading("f", "99", .final, identity: nil)
        fraction.timePrecision = .fraction("0250")
        _ = try store.insert(day, sessionID: nil, receivedAtMillis: 1)
        _ = try store.insert(fraction, sessionID: nil, receivedAtMillis: 2)
        _ = try store.insert(Self.reading("s", "100", .final, identity: nil), sessionID: nil, receivedAtMillis: 3)
        let rows = try store.batchCandidates(limit: 10, nowMillis: 10)
        #expect(rows.map(\.reading.timePrecision) == [.day, .fraction("0250"), nil])
    }
}
