import Tools
import Sessions
import Transports
@testable import Daemon
import DeviceProfiles
import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
import Uplink

/// Analytes in profiles, not code: the shipped table (DeviceProfiles/analytes) codes a POCT
/// analyzer's results, and its plausibility ranges hold what no patient can have.
@Suite("Analyte tables", .serialized)
struct AnalyteTableTests {
    static var astmProfile: DeviceProfile {
        get throws { try CaptureReplayTests.profile(in: CaptureReplayTests.repo + "/DeviceProfiles/generic/astm-poct") }
    }

    @Test func anHbA1cResultFromAnASTMPOCTAnalyzerUploadsWithLOINC4548_4() throws {
        let wire = ASTMConversation.transfer(["H|\\^&|||Afinion^1.0^AF-0001", "P|1|\(ResidentIDs.sample)",
                                              "R|1|^^^HbA1c|6.8|%||||F||||20240615082000", "L|1|N"])
        let readings = CaptureReplay(profile: try Self.astmProfile).decode(wire, receivedAt: CaptureReplayTests.receivedAt).readings
        #expect(readings.map(\.code) == ["4548-4"])
        let rows = readings.enumerated().map { StoredReading(id: Int64($0.offset + 1), reading: $0.element,
                                                             receivedAtMillis: GoldenBundleTests.receivedAt, attempts: 0) }
        let text = try FHIRBundlePreview(settings: UplinkSettings(url: "https://center.example/fhir")).prettyText(for: rows)
        #expect(text.contains("\"code\": \"4548-4\"") && text.contains("\"code\": \"laboratory\""), "\(text)")
        if R4BValidator.isAvailable {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            #expect(try R4BValidator.problems(batch: [[UInt8](try JSONSerialization.data(withJSONObject: object))]) == [nil])
        }
    }

    @Test func aCholesterolOf1e17IsStoredHeldNotUploaded() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-analytes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(path: dir + "/pocgate.db")
        let lines = StoreSinkClockTests.Lines()
        let uplink = try Uplink(store: store, signer: BatchSigner(gatewayID: "gw", key: GatewayKey(privateKey: Ed25519PrivateKey())),
                                settings: UplinkSettings(url: "https://center.example/fhir"), logger: lines.logger())
        let session = try store.beginSession(devnode: "/dev/ttyUSB0", profileID: "generic-astm-poct", startedAtMillis: 1)
        let sink = StoreSink(store: store, sessionID: session, uplink: uplink, provenance: ReadingProvenance(),
                             analytes: try Self.astmProfile.analytes, logger: lines.logger(), stopRequested: { false }, progress: { _ in })
        let wire = ASTMConversation.transfer(["H|\\^&|||LipidPro^1.0^LP-0001",
                                              "R|1|^^^CHOL|110000000000000000|mmol/L||||F||||20240615082000",
                                              "R|2|^^^CHOL|5.2|mmol/L||||F||||20240615082000", "L|1|N"])
        for reading in CaptureReplay(profile: try Self.astmProfile).decode(wire, receivedAt: CaptureReplayTests.receivedAt).readings {
            _ = try sink.received(reading)
        }
        let sendable = try store.batchCandidates(limit: 10, nowMillis: Int64.max / 2)
        #expect(sendable.map(\.reading.value.description) == ["5.2"])
        let summary = try store.queueSummary()
        #expect(summary.heldReadings == ["implausible-value": 1])
        #expect(QueueText.summary(summary, nowMillis: 0).contains("held for the value (outside the analyte's plausible range, not uploaded): 1"))
        #expect(lines.codes(.valueHeld) == [.warning])
    }

    @Test func aProfileNamingAMissingTableIsRefusedWithItsName() throws {
        let tables = AnalyteTables.load(directories: [CaptureReplayTests.repo + "/DeviceProfiles/analytes"]).tables
        var profile = try Self.astmProfile
        profile.analyteTableIDs = ["no-such-table"]
        #expect(throws: YAMLIssue.self) { _ = try tables.resolve(profile) }
    }

    @Test func aTableEntryNeedsALOINCCodeAndARange() {
        let text = "table: t\nversion: 1\nanalytes:\n  - id: x\n    units: [{ucum: mg/dL, loinc: 12345, display: X, plausible: [1, 2]}]\n"
        #expect(throws: YAMLIssue.self) { _ = try AnalyteTable.parse(text, file: "t.analytes.yaml") }
        let inverted = "table: t\nversion: 1\nanalytes:\n  - id: x\n    units: [{ucum: mg/dL, loinc: 1234-5, display: X, plausible: [2, 1]}]\n"
        #expect(throws: YAMLIssue.self) { _ = try AnalyteTable.parse(inverted, file: "t.analytes.yaml") }
    }

    @Test func profileValidateChecksAnalyteTablesAndTheTablesAProfileNames() throws {
        let repo = CaptureReplayTests.repo
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-validate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let astm = try String(contentsOfFile: repo + "/DeviceProfiles/generic/astm-poct/profile.yaml", encoding: .utf8)
        try astm.replacingOccurrences(of: "analytes: [diabetes-hypertension]", with: "analytes: [diabetes-hypertension, clinic]")
            .replacingOccurrences(of: "id: generic-astm-poct", with: "id: clinic-astm")
            .write(toFile: dir + "/clinic.yaml", atomically: true, encoding: .utf8)
        let table = repo + "/DeviceProfiles/analytes/diabetes-hypertension.analytes.yaml"
        let missing = ProfileValidation.run(files: [table, dir + "/clinic.yaml"], directories: [repo + "/DeviceProfiles"])
        #expect(missing.lines.contains { $0.contains("ok (analyte table diabetes-hypertension") }, "\(missing.lines)")
        #expect(missing.errorCount == 1 && missing.lines.contains { $0.contains("analyte table 'clinic'") })
        try "table: clinic\nversion: 1\nanalytes:\n  - id: crea\n    names: [CREA]\n    units: [{ucum: umol/L, loinc: 14682-9, display: C, plausible: [10, 2500]}]\n"
            .write(toFile: dir + "/clinic.analytes.yaml", atomically: true, encoding: .utf8)
        let found = ProfileValidation.run(files: [dir + "/clinic.analytes.yaml", dir + "/clinic.yaml"], directories: [repo + "/DeviceProfiles"])
        #expect(found.errorCount == 0, "\(found.lines)")
    }
}
