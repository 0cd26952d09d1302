import Tools
import Transports
import Sessions
import Daemon
import DeviceProfiles
import Foundation
import PocGateCore
import Testing

/// Every capture under DeviceProfiles/<vendor>/<model>/captures/NAME.bin must replay to exactly
/// NAME.ndjson beside it, through the profile in that model folder.
@Suite struct CaptureReplayTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var captures: [String] {
        let root = repo + "/DeviceProfiles"
        let walker = FileManager.default.enumerator(atPath: root)
        var out: [String] = []
        while let rel = walker?.nextObject() as? String {
            if rel.hasSuffix(".bin") && rel.contains("/captures/") { out.append(root + "/" + rel) }
        }
        return out.sorted()
    }

    /// When the shipped plain captures count as received: the golden Bundles' receipt time,
    /// 2024-06-15T00:30:00Z, in Asia/Shanghai. Only the AA 55 kiosk board, whose frames carry
    /// no time, takes its readings' times from it.
    static let receivedAt = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
    /// The shipped analyte tables (DeviceProfiles/analytes), as the catalog resolves them.
    static let shippedTables = AnalyteTables.load(directories: [repo + "/DeviceProfiles"]).tables

    /// The profile in `modelDir`, with its analyte tables resolved as the catalog does.
    static func profile(in modelDir: String) throws -> DeviceProfile {
        try shippedTables.resolve(try DeviceProfile.parse(try String(contentsOfFile: modelDir + "/profile.yaml", encoding: .utf8),
                                                          file: modelDir + "/profile.yaml", families: .builtIn))
    }

    @Test func thereAreCaptures() {
        #expect(!Self.captures.isEmpty)
    }

    @Test(arguments: captures)
    func captureReplaysToExpectedOutput(_ capture: String) throws {
        let modelDir = URL(fileURLWithPath: capture).deletingLastPathComponent().deletingLastPathComponent().path
        let profile = try Self.profile(in: modelDir)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: capture)))
        let result = CaptureReplay(profile: profile).decode(bytes, receivedAt: Self.receivedAt)
        let expected = try String(contentsOfFile: capture.replacingOccurrences(of: ".bin", with: ".ndjson"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(result.readings.map(ReadingJSON.line) == expected)
        // NAME.problems lists the records the capture holds on purpose that must not become
        // readings (one problem per line); none without it.
        let problemsFile = capture.replacingOccurrences(of: ".bin", with: ".problems")
        let expectedProblems = FileManager.default.fileExists(atPath: problemsFile)
            ? try String(contentsOfFile: problemsFile, encoding: .utf8).split(separator: "\n").map(String.init) : []
        #expect(result.problems == expectedProblems)
    }
}
