import Foundation
import PocGateCore
@testable import Store
import TestSupport
import Testing

/// Schema v4: patient ids, panel components and whole waveforms survive the store bit for
/// bit; the patient rule holds what must not be sent and releases it once, after a fix.
@Suite("Store: patients, panels and waveforms")
struct PatientStoreTests {
    static let now: Int64 = 1_718_411_400_000  // 2024-06-15T00:30:00Z

    static func bloodPressure(serial: String = "BP-0001", key: String = "bp-1", patient: String? = nil) -> Reading {
        Reading(profileID: "kiosk", deviceSerial: serial, deviceModel: "Kiosk", recordKey: key, kind: .bloodPressure,
                code: "85354-9", value: ExactDecimal(parsing: "128")!, unit: "mm[Hg]",
                deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8), flags: [.irregularHeartbeat], raw: [1],
                patientID: patient,
                components: [ReadingComponent(kind: .systolicPressure, value: ExactDecimal(parsing: "128")!, unit: "mm[Hg]"),
                             ReadingComponent(kind: .diastolicPressure, value: ExactDecimal(parsing: "82.5")!, unit: "mm[Hg]"),
                             ReadingComponent(kind: .meanPressure, value: ExactDecimal(parsing: "97")!, unit: "mm[Hg]")])
    }

    /// 12 leads × 5,000 samples covering the whole Int32 range at the edges.
    static func twelveLeadECG() -> Waveform {
        let names = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
        var generator = SystemRandomNumberGenerator()
        let leads = names.map { name in
            var samples = (0..<5_000).map { _ in Int32.random(in: -32_768...32_767, using: &generator) }
            samples[0] = .min
            samples[4_999] = .max
            return WaveformLead(name: name, samples: samples)
        }
        return Waveform(periodMillis: ExactDecimal(parsing: "2")!, factor: ExactDecimal(parsing: "4.88")!, leads: leads)
    }

    @Test("a 12 × 5,000-sample ECG, a BP panel and a device-supplied patient id come back from the store bit-exact")
    func roundTrip() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        let waveform = Self.twelveLeadECG()
        let ecg = Reading(profileID: "cart", deviceSerial: "ECG-1", deviceModel: "Cart", recordKey: "ecg-1", kind: .ecgWaveform,
                          code: "11524-6", value: ExactDecimal(parsing: "0")!, unit: "uV",
                          deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8), flags: [], raw: [],
                          patientID: ResidentIDs.sample, waveform: waveform)
        let bp = Self.bloodPressure(patient: ResidentIDs.sample)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try store.insert(contentsOf: [(ecg, ReadingProvenance()), (bp, ReadingProvenance())], sessionID: nil,
                             receivedAtMillis: Self.now)
        let stored = clock.now
        let rows = try store.batchCandidates(limit: 10, nowMillis: Self.now)
        print("PatientStoreTests: 12 × 5,000-sample ECG: BLOB \(WaveformBlob.encode(waveform).count) bytes, "
              + "insert \(stored - start), read back \(clock.now - stored)")
        #expect(rows.map(\.reading) == [ecg, bp])
        #expect(rows[0].reading.waveform?.digest == waveform.digest)
        #expect(rows[0].reading.waveform?.leads.map(\.samples.count) == Array(repeating: 5_000, count: 12))
        #expect(rows[1].reading.components.map(\.value.description) == ["128", "82.5", "97"])
        #expect(rows.allSatisfy { $0.subjectPatientID == ResidentIDs.sample })
    }

    @Test("the waveform BLOB layout is the documented one and refuses truncated bytes")
    func waveformBlobLayout() {
        let w = Waveform(periodMillis: ExactDecimal(parsing: "2")!, factor: ExactDecimal(parsing: "1")!,
                         leads: [WaveformLead(name: "I", samples: [1, -1])])
        let bytes = WaveformBlob.encode(w)
        #expect(bytes == Array("PGW1".utf8) + [1, 0x32, 1, 0x31, 1, 0x30, 2, 0x75, 0x56, 1, 0, 1, 0x49, 2, 0, 0, 0,
                                              1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(WaveformBlob.decode(bytes) == w)
        #expect(WaveformBlob.decode(Array(bytes.dropLast())) == nil)
        #expect(ComponentsText.decode(ComponentsText.encode(Self.bloodPressure().components)!) == Self.bloodPressure().components)
    }

    @Test("migration v4 on a v3 database: old readings stay readable, new ones keep patient, panel and waveform")
    func migratesFromV3() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("v3.db")
        do {
            let store = try Store(path: path)
            _ = try store.insert(sampleReading(key: "old"), sessionID: nil, receivedAtMillis: 1)
            // As a v3 pocgate left it.
            try store.executeRaw("""
                DROP INDEX readings_identity;
                ALTER TABLE readings DROP COLUMN utc_offset_s;
                ALTER TABLE readings DROP COLUMN status;
                ALTER TABLE readings DROP COLUMN identity;
                ALTER TABLE readings DROP COLUMN amends_key;
                ALTER TABLE readings DROP COLUMN body_site;
                ALTER TABLE readings DROP COLUMN time_precision;
                ALTER TABLE readings DROP COLUMN value_hold;
                ALTER TABLE readings DROP COLUMN value_released_at_ms;
                ALTER TABLE readings DROP COLUMN patient_id;
                ALTER TABLE readings DROP COLUMN components;
                ALTER TABLE readings DROP COLUMN waveform;
                ALTER TABLE readings DROP COLUMN bound_patient_id;
                ALTER TABLE readings DROP COLUMN attached_patient_id;
                ALTER TABLE readings DROP COLUMN ecg_context;
                DROP TABLE device_bindings;
                DROP TABLE audit_log;
                DROP TABLE record_problems;
                DELETE FROM schema_migrations WHERE version >= 4;
                """)
        }
        let store = try Store(path: path)
        #expect(store.schemaVersion == Store.supportedSchemaVersion)
        let bp = Self.bloodPressure(patient: ResidentIDs.sample)
        _ = try store.insert(bp, sessionID: nil, receivedAtMillis: 2)
        let rows = try store.batchCandidates(limit: 10, nowMillis: 10)
        #expect(rows.map(\.reading.recordKey) == ["old", "bp-1"])
        #expect(rows[0].reading.patientID == nil && rows[0].reading.components.isEmpty && rows[0].reading.waveform == nil)
        #expect(rows[1].reading == bp)
    }

    @Test("wrong patient: a device-supplied ID with a bad check character is stored but held, never queued for upload")
    func invalidSuppliedIDIsHeld() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        _ = try store.insert(Self.bloodPressure(patient: "110101190001010013"), sessionID: nil, receivedAtMillis: Self.now)
        #expect(try store.batchCandidates(limit: 10, nowMillis: Self.now).isEmpty)
        #expect(try store.status().heldReadings == ["invalid-patient-id": 1])
    }

    @Test("unbound upload: with gateway binding a reading from an unbound meter is held, and binding releases it once for the bound patient")
    func unboundHeldThenReleasedOnce() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        _ = try store.insert(sampleReading(key: "a"), sessionID: nil, receivedAtMillis: Self.now, patients: .gateway)
        #expect(try store.batchCandidates(limit: 10, nowMillis: Self.now).isEmpty)
        #expect(try store.status().heldReadings == ["unbound": 1])
        let outcome = try store.bind(deviceSerial: "TD4277-0001", patientID: ResidentIDs.sample, actor: "nurse", atMillis: Self.now)
        #expect(outcome == BindOutcome(previousPatientID: nil, released: 1))
        let rows = try store.batchCandidates(limit: 10, nowMillis: Self.now)
        #expect(rows.map(\.subjectPatientID) == [ResidentIDs.sample])
        // Binding again releases nothing more: the reading goes out once.
        #expect(try store.bind(deviceSerial: "TD4277-0001", patientID: ResidentIDs.sample, actor: "nurse", atMillis: Self.now).released == 0)
        #expect(try store.batchCandidates(limit: 10, nowMillis: Self.now).count == 1)
        // The next reading takes the binding at once.
        _ = try store.insert(sampleReading(key: "b"), sessionID: nil, receivedAtMillis: Self.now, patients: .gateway)
        #expect(try store.batchCandidates(limit: 10, nowMillis: Self.now).map(\.boundPatientID) == [ResidentIDs.sample, ResidentIDs.sample])
        let audit = try store.auditLog()
        #expect(audit.map(\.action) == ["rebind", "bind"])
        #expect(audit.last?.actor == "nurse" && audit.last?.newPatientID == ResidentIDs.sample && audit.last?.oldPatientID == nil)
    }

    @Test("wrong patient after re-bind: readings stored under the old binding keep the old patient")
    func rebindKeepsStoredPatient() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        let other = "11010119000101010" + String(ResidentID.checkCharacter(forFirst17: "11010119000101010".map { $0.wholeNumberValue! }))
        _ = try store.bind(deviceSerial: "TD4277-0001", patientID: ResidentIDs.sample, actor: "a", atMillis: Self.now)
        _ = try store.insert(sampleReading(key: "first"), sessionID: nil, receivedAtMillis: Self.now, patients: .gateway)
        let outcome = try store.bind(deviceSerial: "TD4277-0001", patientID: other, actor: "b", atMillis: Self.now + 1)
        #expect(outcome.previousPatientID == ResidentIDs.sample)
        _ = try store.insert(sampleReading(key: "second"), sessionID: nil, receivedAtMillis: Self.now + 2, patients: .gateway)
        let rows = try store.batchCandidates(limit: 10, nowMillis: Self.now + 2)
        #expect(rows.map(\.subjectPatientID) == [ResidentIDs.sample, other])
        #expect(try store.auditLog().first.map { ($0.oldPatientID, $0.newPatientID) } ?? (nil, nil) == (ResidentIDs.sample, other))
    }

    @Test("invalid ID: binding refuses a number that fails the check, and changes nothing")
    func bindRefusesInvalid() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        #expect(throws: StoreError.self) {
            try store.bind(deviceSerial: "TD4277-0001", patientID: "110101190001010013", actor: "a", atMillis: Self.now)
        }
        #expect(try store.bindings().isEmpty && store.auditLog().isEmpty)
    }

    @Test("unbind: later readings are held again; release re-judges and keeps still-unbound readings held")
    func unbindAndRelease() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        _ = try store.bind(deviceSerial: "TD4277-0001", patientID: ResidentIDs.sample, actor: "a", atMillis: Self.now)
        #expect(try store.unbind(deviceSerial: "TD4277-0001", actor: "a", atMillis: Self.now) == ResidentIDs.sample)
        #expect(try store.unbind(deviceSerial: "TD4277-0001", actor: "a", atMillis: Self.now) == nil)
        _ = try store.insert(sampleReading(key: "x"), sessionID: nil, receivedAtMillis: Self.now, patients: .gateway)
        let still = try store.releaseHeld(reasons: ["unbound"], patients: .gateway, actor: "a", atMillis: Self.now)
        #expect(still == ReleaseOutcome(released: 0, stillHeld: 1))
        // The center decides after all: released without a subject.
        let released = try store.releaseHeld(reasons: ["unbound"], patients: .center, actor: "a", atMillis: Self.now)
        #expect(released == ReleaseOutcome(released: 1, stillHeld: 0))
        #expect(try store.batchCandidates(limit: 10, nowMillis: Self.now).map(\.subjectPatientID) == [nil])
        #expect(try store.auditLog().map(\.action) == ["release", "release", "unbind", "bind"])
    }

    @Test("center binding: no binding is consulted and no subject is guessed")
    func centerModeGuessesNothing() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("p.db"))
        _ = try store.bind(deviceSerial: "TD4277-0001", patientID: ResidentIDs.sample, actor: "a", atMillis: Self.now)
        _ = try store.insert(sampleReading(key: "x"), sessionID: nil, receivedAtMillis: Self.now, patients: .center)
        #expect(try store.batchCandidates(limit: 10, nowMillis: Self.now).map(\.subjectPatientID) == [nil])
    }
}
