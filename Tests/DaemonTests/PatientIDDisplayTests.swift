import Tools
import Sessions
import Transports
import Daemon
import Foundation
import PocGateCore
import Store
import Testing

/// Commands that print stored or received text mask resident IDs unless asked, and the asking
/// is audited.
@Suite("Patient IDs in command output")
struct PatientIDDisplayTests {
    static let id = "110101190001010014"

    static func storeWithDeadLetter(_ dir: String) throws -> (config: String, store: Store) {
        let config = dir + "/pocgate.yaml"
        try "store:\n  path: \(dir)/pocgate.db\nuplink:\n  url: https://center.example/fhir\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let store = try Store(path: dir + "/pocgate.db")
        let reading = Reading(profileID: "astm-poct", deviceSerial: "METER", deviceModel: "POCT", recordKey: "k1",
                              kind: .glucose, code: "14743-9", value: ExactDecimal(parsing: "5.6")!, unit: "mmol/L",
                              deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8), flags: [], raw: [0x31],
                              patientID: id)
        _ = try store.insert(reading, sessionID: nil, receivedAtMillis: 1_000)
        _ = try store.createBatch(BatchDraft(gatewayID: "gw", body: [], bodySHA256: "h", manifest: "[]", readingIDs: [1]),
                                  createdAtMillis: 2_000) { _, _ in "s" }
        try store.settleBatch(1, status: 200, delivered: [], deferred: [], deadLetters: [
            DeadLetterDraft(readingID: 1, httpStatus: 422, reason: "Patient \(id) unknown",
                            response: "OperationOutcome: no Patient with identifier \(id) in the registry"),
        ], atMillis: 3_000)
        return (config, store)
    }

    @Test func F8_deadLetterShowMasksResidentIDsInTheCentersDiagnostics() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-ids-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (config, store) = try Self.storeWithDeadLetter(dir)
        let letter = try #require(try store.deadLetter(id: 1))
        let shown = QueueText.show(letter)
        #expect(!shown.contains(Self.id), "\(shown)")
        #expect(shown.contains("no Patient with identifier 1101************14"))
        #expect(!QueueText.list([letter]).contains(Self.id))
        #expect(!QueueText.summary(try store.queueSummary(), nowMillis: 4_000).contains(Self.id))

        // Asked for, the IDs are printed, and the audit log says who asked.
        let display = try PatientIDDisplay.audited(showInClear: true, configPath: config)
        #expect(QueueText.show(letter, display: display).contains("identifier \(Self.id) in"))
        let audit = try store.auditLog()
        #expect(audit.count == 1 && audit[0].action == "show-patient-ids" && audit[0].detail?.hasPrefix("pocgate") == true)
        // Not asked for: nothing is audited.
        #expect(try PatientIDDisplay.audited(showInClear: false, configPath: config).showInClear == false)
        #expect(try store.auditLog().count == 1)
    }

    @Test func problemLinesAndReadingLinesMaskResidentIDs() {
        // An ASTM result whose value field holds a resident ID: the record is not decoded and
        // replay names it on stderr.
        let problem = "pocgate replay: record not decoded: R|1|^^^GLU|\(Self.id)|mmol/L: value is not a number"
        #expect(PatientIDDisplay.masked.text(problem) == problem.replacingOccurrences(of: Self.id, with: "1101************14"))
        let reading = Reading(profileID: "hl7", deviceSerial: "K", deviceModel: "K", recordKey: "1", kind: .glucose,
                              code: "14743-9", value: ExactDecimal(parsing: "6.1")!, unit: "mmol/L",
                              deviceTime: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8), flags: [], raw: [],
                              patientID: "P-12345678")
        #expect(PatientIDDisplay.masked.line(reading).contains("\"patient\":\"P-12****78\""))
        #expect(PatientIDDisplay(showInClear: true).line(reading) == ReadingJSON.line(reading))
    }
}
