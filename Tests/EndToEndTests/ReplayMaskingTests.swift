import Daemon
import Tools
import Sessions
import Foundation
import Store
import TestSupport
import Testing

/// `pocgate replay` prints what a device sent: a resident ID in it is masked on stdout and on
/// stderr, as the daemon masks it in its log, unless `--show-patient-ids` (audited).
@Suite("pocgate replay: resident IDs")
struct ReplayMaskingTests {
    /// ID-shaped (17 digits and a check character X): not a number, so the record is refused.
    static let id = "11010119000101001X"
    static let repository = #filePath.components(separatedBy: "/Tests/")[0]

    @Test func F9_replayStderrMasksAResidentIDInAResultValue() throws {
        let pocgate = try #require(BuiltProducts.executable(named: "pocgate"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A lipid analyser whose operator typed the patient's ID into the result field.
        let capture = ASTMConversation.transfer([
            #"H|\^&|||LipidPro^2.1^LP-0042|||||||P|1|20240615083000"#, "P|1|PAT-0001",
            #"O|1|S0001||^^^TC|R||20240615083000"#,
            "R|1|^^^TC|\(Self.id)|mmol/L|3.10-5.20|H||F||||20240615083000", "L|1|N",
        ])
        try Data(capture).write(to: URL(fileURLWithPath: dir + "/id.bin"))
        let profile = Self.repository + "/DeviceProfiles/generic/astm-poct/profile.yaml"

        let masked = try KillLoopTests.output(pocgate.path, ["replay", "--profile", profile, dir + "/id.bin"])
        #expect(masked.text.contains("record not decoded"), "\(masked.text)")
        #expect(!masked.text.contains(Self.id), "\(masked.text)")
        #expect(masked.text.contains("1101************1X"))

        // Asked for, with a store to audit the request in (the daemon's: tools never create it).
        try "store:\n  path: \(dir)/pocgate.db\nuplink:\n  url: https://center.example/fhir\n"
            .write(toFile: dir + "/pocgate.yaml", atomically: true, encoding: .utf8)
        let refused = try KillLoopTests.output(pocgate.path, ["replay", "--profile", profile, "--show-patient-ids",
                                                              "--config", dir + "/pocgate.yaml", dir + "/id.bin"])
        #expect(refused.status == 66 && !refused.text.contains(Self.id) && refused.text.contains("no database"), "\(refused.text)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/pocgate.db"), "a tool must not create the daemon's database")
        _ = try Store(path: dir + "/pocgate.db")
        let shown = try KillLoopTests.output(pocgate.path, ["replay", "--profile", profile, "--show-patient-ids",
                                                            "--config", dir + "/pocgate.yaml", dir + "/id.bin"])
        #expect(shown.status == 0 && shown.text.contains(Self.id), "\(shown.text)")
        let audit = try Store(path: dir + "/pocgate.db").auditLog()
        #expect(audit.map(\.action) == ["show-patient-ids"] && audit[0].detail?.contains("replay") == true)
    }
}
