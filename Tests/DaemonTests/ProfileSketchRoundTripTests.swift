import Tools
import Transports
import Sessions
import Daemon
import DeviceProfiles
import Foundation
import FrameParsing
import Testing

/// `pocgate profile sketch` on shipped binary captures, from the capture alone: once a
/// technician fills in what a capture cannot tell (ids, names, what the values mean), the
/// skeleton's framing and checksum must find the same frames the real codec finds, with no
/// checksum failures beyond the corrupted frames the capture holds.
@Suite struct ProfileSketchRoundTripTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// (capture, frames the shipped codec decodes from it)
    static let cases: [(String, Int)] = [
        ("taidoc/td4277/captures/vectors.bin", 12),
        ("lifescan/onetouch-ultramini/captures/conversation.bin", 19),
        ("sd-biosensor/codefree/captures/session.bin", 6),
        ("generic/aa55-health-kiosk/captures/session.bin", 0),
        ("carewell/nibp-module/captures/measurements.bin", 0),
    ]

    /// The skeleton with every FILL-IN answered the way a technician would, plus one reading
    /// built from the first record type so the profile is complete.
    static func filledIn(_ yaml: String) throws -> String {
        var lines: [String] = []
        var firstRecord: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            switch true {
            case line.hasPrefix("id: FILL-IN"): lines.append("id: sketched")
            case line.hasPrefix("name: FILL-IN"): lines.append("name: sketched from a capture")
            case line.hasPrefix("kind: FILL-IN"): lines.append("kind: glucose-meter")
            case line.contains("vendor: FILL-IN"): lines.append("    - vendor: 0x1234")
            case line.contains("product: FILL-IN"): lines.append("      product: 0x5678")
            case line.contains("baud: FILL-IN"): lines.append("  baud: 9600")
            case line.hasPrefix("readings: FILL-IN"):
                let r = try #require(firstRecord)
                lines.append("readings:")
                lines.append("  - {on: \(r), kind: glucose, unit: mg/dL, value: \(r).v, time: \(r).t}")
            default:
                lines.append(line)
                if line.hasPrefix("  record"), firstRecord == nil {
                    firstRecord = String(line.dropFirst(2).prefix { $0 != ":" })
                } else if line.hasPrefix("    when:"), lines.count >= 2, lines[lines.count - 2].hasPrefix("  \(firstRecord ?? "-"):") {
                    lines.append("    fields:")
                    lines.append("      v: {offset: 1, size: 1}")
                    lines.append("      t: {offset: 0, type: datetime, layout: binary, format: YYMMDDhhmm}")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: cases.map(\.0))
    func skeletonFindsTheFramesOfAShippedProtocol(_ capture: String) throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: Self.repo + "/DeviceProfiles/" + capture)))
        let sketch = FrameSketcher().sketch(bytes)
        let checksum = try #require(sketch.checksum, "no checksum found for \(capture)")
        #expect(checksum.frames - checksum.matching <= max(1, checksum.frames / 10))
        let yaml = ProfileSkeleton.yaml(sketch)
        #expect(yaml.contains("FILL-IN"))
        #expect(throws: YAMLIssue.self) { try DeviceProfile.parse(yaml, file: "skeleton.yaml", families: .builtIn) }

        let filled = try Self.filledIn(yaml)
        let profile: DeviceProfile
        do { profile = try DeviceProfile.parse(filled, file: "skeleton.yaml", families: .builtIn) } catch {
            Issue.record("the filled-in skeleton does not load: \(error)\n\(filled)")
            return
        }
        let plan = try #require(profile.declarative)
        let counters = plan.decodeCapture(bytes, profileID: "sketched").capture.counters
        #expect(counters.frames >= sketch.frames, "\(capture): \(counters)")
        #expect(counters.badChecksums <= checksum.frames - checksum.matching, "\(capture): \(counters)")
        if let expected = Self.cases.first(where: { $0.0 == capture })?.1, expected > 0 {
            #expect(counters.frames == expected, "\(capture): the shipped codec finds \(expected) frames")
        }
    }
}
