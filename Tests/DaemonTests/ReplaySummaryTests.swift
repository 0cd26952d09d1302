import Tools
import Transports
import Sessions
import Daemon
import DeviceProfiles
import Foundation
import Testing

/// `pocgate replay --format summary`: one JSON object with the documented keys, in order.
@Suite struct ReplaySummaryTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test(arguments: ["taidoc/td4277/captures/vectors", "sd-biosensor/codefree/captures/session"])
    func summaryLineHasTheDocumentedShape(_ capture: String) throws {
        let modelDir = Self.repo + "/DeviceProfiles/" + capture.components(separatedBy: "/captures/")[0]
        let profile = try DeviceProfile.parse(try String(contentsOfFile: modelDir + "/profile.yaml", encoding: .utf8), file: "profile.yaml", families: .builtIn)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.repo + "/DeviceProfiles/" + capture + ".bin")))
        bytes += [0xFF, 0x00, 0x13]                                    // trailing noise: counted, not fatal
        let (result, seconds) = CaptureReplay(profile: profile).timedDecode(ReplayInput(bytes: bytes, receivedAt: CaptureReplayTests.receivedAt))
        let line = ReplaySummary.line(result, bytes: bytes.count, seconds: seconds)

        #expect(!line.contains("\n"))
        #expect(line.range(of: #"^\{"frames":\d+,"readings":\d+,"rejected":\d+,"bytes":\d+,"pending_bytes":\d+,"seconds":\d+\.\d{6}\}$"#,
                            options: .regularExpression) != nil, "\(line)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["frames"] as? Int == result.counters.frames)
        #expect(object["readings"] as? Int == 3)
        #expect(object["rejected"] as? Int == result.counters.rejectedFrames + result.problems.count)
        #expect(object["bytes"] as? Int == bytes.count)
        #expect((object["seconds"] as? Double ?? -1) >= 0)
        #expect(result.counters.frames >= 3)
    }

    @Test func rejectedCountsBadFramesAndUndecodedRecords() {
        var r = CaptureReplay.Result()
        r.counters.frames = 5
        r.counters.badChecksums = 2
        r.counters.malformed = 1
        r.problems = ["HI result"]
        #expect(ReplaySummary.line(r, bytes: 40, seconds: 0.0000012)
                == #"{"frames":5,"readings":0,"rejected":4,"bytes":40,"pending_bytes":0,"seconds":0.000001}"#)
    }

    /// A frame cut off at the end of a capture is counted, not dropped silently.
    @Test func bytesOfAFrameCutOffAtTheEndAreCountedAsPending() throws {
        let modelDir = Self.repo + "/DeviceProfiles/taidoc/td4277"
        let profile = try DeviceProfile.parse(try String(contentsOfFile: modelDir + "/profile.yaml", encoding: .utf8), file: "profile.yaml", families: .builtIn)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelDir + "/captures/vectors.bin")))
        let whole = CaptureReplay(profile: profile).decode(ReplayInput(bytes: bytes, receivedAt: CaptureReplayTests.receivedAt))
        bytes += [0x51, 0x26, 0x05]
        let cut = CaptureReplay(profile: profile).decode(ReplayInput(bytes: bytes, receivedAt: CaptureReplayTests.receivedAt))
        #expect(whole.pendingBytes == 0)
        #expect(cut.pendingBytes == 3)
        #expect(cut.readings.count == whole.readings.count)
        #expect(ReplaySummary.line(cut, bytes: bytes.count, seconds: 0).contains(#""pending_bytes":3,"#))
    }
}
