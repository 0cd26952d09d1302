import Foundation
import PocGateCore
@testable import Store
import TestSupport
import Testing

/// An ECG cart serves every patient of a clinic: an ECG without a valid resident ID is held,
/// never uploaded without a subject, until a technician attaches the right patient.
@Suite("Store: ECG patients")
struct ECGPatientStoreTests {
    static let now: Int64 = 1_718_411_400_000  // 2024-06-15T00:30:00Z

    /// The readings of one ECG as `ECGRecord.readings` writes them: waveform, then measurements.
    static func ecg(patient: String?, serial: String = "ECG1200-0042", minute: Int = 26) -> [Reading] {
        let time = LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: minute)
        let base = "ecg|\(time)|\(patient == nil ? "none" : "0123456789abcdef")|"
        let waveform = Waveform(periodMillis: ExactDecimal(2), factor: ExactDecimal(5),
                                leads: [WaveformLead(name: "I", samples: [1, 2, 3]), WaveformLead(name: "V3R", samples: [4, 5, 6])])
        let context = ECGContext(statementGroups: [ECGStatementGroup(section: 8, confirmation: .unconfirmed,
                                                                      statements: ["Sinus rhythm", "Left ventricular hypertrophy"])],
                                 highPassCentihertz: 5, lowPassHertz: 150, notchHertz: 50, artifactFilter: false,
                                 age: ECGAge(value: 9, unit: "a"))
        func r(_ kind: ObservationKind, _ value: Int, _ unit: String, _ key: String, waveform: Waveform? = nil) -> Reading {
            Reading(profileID: "scp-cart", deviceSerial: serial, deviceModel: "PGC12", recordKey: base + kind.rawValue + "|" + key,
                    kind: kind, code: kind.loincCode(unit: unit)!, value: ExactDecimal(value), unit: unit, deviceTime: time,
                    flags: [], raw: [1], patientID: patient, waveform: waveform, ecgContext: waveform == nil ? nil : context)
        }
        return [r(.ecgWaveform, 2, "uV", "d1g35t", waveform: waveform), r(.ecgHeartRate, 72, "/min", "72"),
                r(.qtcInterval, 416, "ms", "416")]
    }

    static func store(_ dir: TempDirectory) throws -> Store { try Store(path: dir.file("ecg.db")) }

    static func insert(_ readings: [Reading], _ store: Store, patients: PatientBinding = .center) throws -> [Int64] {
        try store.insert(contentsOf: readings.map { ($0, ReadingProvenance()) }, sessionID: nil, receivedAtMillis: now,
                         patients: patients).compactMap(\.id)
    }

    @Test("upload without a subject: an ECG with no patient ID is held in both binding modes, never queued for upload")
    func ecgWithoutPatientIsHeld() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Self.store(dir)
        _ = try Self.insert(Self.ecg(patient: nil), store)
        _ = try Self.insert(Self.ecg(patient: nil, minute: 40), store, patients: .gateway)
        #expect(try store.batchCandidates(limit: 50, nowMillis: Self.now).isEmpty)
        #expect(try store.status().heldReadings == ["no-patient-id": 6])
    }

    @Test("no way to attach the right patient: an ECG held without a resident ID is released, all its readings, for the attached patient, audited")
    func attachReleasesTheWholeECG() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Self.store(dir)
        let ids = try Self.insert(Self.ecg(patient: nil), store)
        let other = try Self.insert(Self.ecg(patient: nil, minute: 40), store)
        #expect(try store.heldForPatient().map(\.id) == ids + other)
        let outcome = try store.attachPatient(readingID: ids[1], patientID: ResidentIDs.sample, actor: "tech", atMillis: Self.now)
        #expect(outcome == AttachOutcome(attached: 3, released: 3, previousPatientID: nil))
        let rows = try store.batchCandidates(limit: 50, nowMillis: Self.now)
        #expect(rows.map(\.id) == ids)
        #expect(rows.allSatisfy { $0.subjectPatientID == ResidentIDs.sample })
        #expect(rows[0].reading.ecgContext?.statementGroups.first?.statements == ["Sinus rhythm", "Left ventricular hypertrophy"])
        // The other ECG of the same cart is still held: a patient is attached to one recording only.
        #expect(try store.heldForPatient().map(\.id) == other)
        let audit = try store.auditLog()
        #expect(audit.first?.action == "attach" && audit.first?.actor == "tech" && audit.first?.newPatientID == ResidentIDs.sample)
        #expect(audit.first?.deviceSerial == "ECG1200-0042")
    }

    @Test("wrong patient: an ECG carrying a clinic exam number is held, and goes out for the attached resident ID, not the exam number")
    func examNumberIsReplacedByTheAttachedPatient() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Self.store(dir)
        let ids = try Self.insert(Self.ecg(patient: "EX-2024-0615-007"), store)
        #expect(try store.status().heldReadings == ["invalid-patient-id": 3])
        let outcome = try store.attachPatient(readingID: ids[0], patientID: ResidentIDs.sample.lowercased(), actor: "tech",
                                              atMillis: Self.now)
        #expect(outcome.previousPatientID == "EX-2024-0615-007" && outcome.released == 3)
        let rows = try store.batchCandidates(limit: 50, nowMillis: Self.now)
        #expect(rows.map(\.subjectPatientID) == Array(repeating: ResidentIDs.sample, count: 3))
        // The exam number the cart sent stays stored with the reading.
        #expect(rows.allSatisfy { $0.reading.patientID == "EX-2024-0615-007" })
        // A release by hand judges the attached patient, not the exam number: nothing is held again.
        _ = try store.releaseHeld(reasons: ["invalid-patient-id"], patients: .center, actor: "tech", atMillis: Self.now)
        #expect(try store.batchCandidates(limit: 50, nowMillis: Self.now).count == 3)
    }

    @Test("wrong patient: attach refuses an invalid resident ID and a reading that is not held for its patient, changing nothing")
    func attachRefusals() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Self.store(dir)
        let held = try Self.insert(Self.ecg(patient: nil), store)
        let sent = try Self.insert(Self.ecg(patient: ResidentIDs.sample, minute: 50), store)
        #expect(throws: StoreError.self) {
            try store.attachPatient(readingID: held[0], patientID: "110101190001010013", actor: "tech", atMillis: Self.now)
        }
        #expect(throws: StoreError.self) {
            try store.attachPatient(readingID: sent[0], patientID: ResidentIDs.sample, actor: "tech", atMillis: Self.now)
        }
        #expect(throws: StoreError.self) {
            try store.attachPatient(readingID: 9_999, patientID: ResidentIDs.sample, actor: "tech", atMillis: Self.now)
        }
        #expect(try store.heldForPatient().map(\.id) == held)
        #expect(try store.auditLog().isEmpty)
    }

    @Test("the ECG context column round-trips statements with line breaks and backslashes, and refuses text it did not write")
    func contextText() {
        let context = ECGContext(statementGroups: [ECGStatementGroup(section: 11, confirmation: .confirmed,
                                                                      statements: ["a\\b", "two\nlines\r\n", "é 中"])],
                                 highPassCentihertz: 50, lowPassHertz: 40, notchHertz: 60, artifactFilter: true,
                                 age: ECGAge(value: 3, unit: "mo"))
        #expect(ECGContextText.decode(ECGContextText.encode(context)) == context)
        #expect(ECGContextText.decode("st=orphan") == nil)
        #expect(ECGContextText.decode("hp=x") == nil)
        #expect(ECGContextText.decode("") == ECGContext())
    }
}
