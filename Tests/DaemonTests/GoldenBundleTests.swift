import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
import Uplink

/// Capture → readings → FHIR Bundle, for every shipped profile with captures: each capture
/// DeviceProfiles/<vendor>/<model>/captures/NAME.bin is replayed through its profile and mapped
/// with a fixed gateway id, receipt time and configuration; the Bundle must equal the reviewed
/// NAME.bundle.json beside it (pretty-printed, keys sorted), and every golden must be a valid
/// R4B Bundle. New profiles are found automatically: a capture without a golden fails until
/// one is written with `POCGATE_UPDATE_GOLDEN=1 swift test --filter GoldenBundleTests` and reviewed.
@Suite struct GoldenBundleTests {
    /// The fixed receipt time: 2024-06-15T00:30:00Z.
    static let receivedAt: Int64 = 1_718_411_400_000
    static let gatewayID = "gw-golden"
    static let update = ProcessInfo.processInfo.environment["POCGATE_UPDATE_GOLDEN"] == "1"

    static var captures: [String] { CaptureReplayTests.captures }

    static func golden(for capture: String) -> String {
        String(capture.dropLast(".bin".count)) + ".bundle.json"
    }

    /// The Bundle text the uplink's mapping gives for `capture`.
    static func bundleText(_ capture: String) throws -> String {
        let modelDir = URL(fileURLWithPath: capture).deletingLastPathComponent().deletingLastPathComponent().path
        let profile = try CaptureReplayTests.profile(in: modelDir)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: capture)))
        let readings = CaptureReplay(profile: profile).decode(bytes, receivedAt: CaptureReplayTests.receivedAt).readings
        let rows = readings.enumerated().map { i, reading in
            StoredReading(id: Int64(i + 1), reading: reading, receivedAtMillis: receivedAt, attempts: 0,
                          provenance: ReadingProvenance(gatewayID: gatewayID, profileVersion: profile.version, profileHash: nil))
        }
        let preview = try FHIRBundlePreview(settings: UplinkSettings(url: "https://center.example/fhir"))
        return preview.prettyText(for: rows)
    }

    @Test(arguments: captures)
    func captureMapsToReviewedBundle(_ capture: String) throws {
        let text = try Self.bundleText(capture)
        let path = Self.golden(for: capture)
        let rel = path.replacingOccurrences(of: CaptureReplayTests.repo + "/", with: "")
        if Self.update {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(rel): review it before committing")
        }
        guard let golden = try? String(contentsOfFile: path, encoding: .utf8) else {
            let message = "no golden Bundle \(rel): generate it with POCGATE_UPDATE_GOLDEN=1 swift test --filter GoldenBundleTests, "
                + "review the file (codes, units, subject, times) and commit it"
            Issue.record(Comment(rawValue: message))
            return
        }
        #expect(text == golden, "the Bundle for \(rel) changed: if the change is intended, regenerate with POCGATE_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test("every golden Bundle is a valid FHIR R4B Bundle")
    func goldensValidate() throws {
        let goldens = Self.captures.map(Self.golden).filter { FileManager.default.fileExists(atPath: $0) }
        #expect(!goldens.isEmpty)
        guard R4BValidator.isAvailable else { return }
        // Compact each golden to one line for the batch validator.
        let bodies = try goldens.map { path -> [UInt8] in
            let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: path)))
            return [UInt8](try JSONSerialization.data(withJSONObject: object))
        }
        let problems = try R4BValidator.problems(batch: bodies)
        for (path, problem) in zip(goldens, problems) {
            #expect(problem == nil, "\(path): \(problem ?? "")")
        }
        print("GoldenBundleTests: \(problems.filter { $0 == nil }.count) golden Bundles validated with fhir.resources R4B")
    }
}
