import DeviceProfiles
import Foundation
import PocGateCore
import Sessions
import Testing
import Tools

/// `pocgate profile test` prints a reading's patient masked whatever the ID's shape, as
/// `replay` does: the ECG cart's capture carries `VC-2026-00042`, which no resident-ID rule
/// recognises, and it was printed in clear.
@Suite struct ProfileTestPatientIDTests {
    static let folder = DeclarativeReplayTests.repo + "/DeviceProfiles/generic/ecg-pgec-transfer"

    static func profile() throws -> DeviceProfile {
        let file = folder + "/profile.yaml"
        return try DeviceProfile.parse(try String(contentsOfFile: file, encoding: .utf8), file: file, families: .builtIn)
    }

    static func capture() throws -> ReplayInput {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/captures/resting-12-lead.bin")))
        return ReplayInput(bytes: bytes, receivedAt: LocalDateTime(year: 2026, month: 3, day: 4, hour: 9))
    }

    @Test(arguments: [ProfileTestRun.Format.text, .ndjson])
    func aPatientIDOfAnyShapeIsMaskedUnlessAskedFor(format: ProfileTestRun.Format) throws {
        let profile = try Self.profile(), capture = try Self.capture()
        let masked = ProfileTestRun.run(profile, capture: capture, format: format)
        let all = (masked.lines + masked.diagnostics).joined(separator: "\n")
        #expect(!all.contains("VC-2026-00042"), "the ID is printed in clear: \(all.prefix(400))")
        #expect(all.contains(ResidentID.masked("VC-2026-00042")))
        let clear = ProfileTestRun.run(profile, capture: capture, format: format, display: PatientIDDisplay(showInClear: true))
        #expect((clear.lines + clear.diagnostics).joined(separator: "\n").contains("VC-2026-00042"))
    }
}
