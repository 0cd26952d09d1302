import Tools
import Sessions
import FrameParsing
import Foundation
import PocGateCore
import Testing

/// `pocgate replay` streaming: a family's streaming decoder, fed the capture in any pieces,
/// gives exactly the whole-capture answer; problem texts stay bounded.
@Suite struct StreamingReplayTests {
    /// Feeds `bytes` to `decoder` in pieces of `size` and collects everything it emits.
    static func streamed(_ decoder: any CaptureStreamDecoder, _ bytes: [UInt8], pieces size: Int) -> DecodedCapture {
        var decoder = decoder
        var out = DecodedCapture()
        func take(_ event: CaptureEvent) {
            switch event {
            case let .reading(r): out.readings.append(r)
            case let .problem(p): out.problems.append(p)
            }
        }
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            decoder.feed(Array(bytes[start..<end]), receivedAt: CaptureReplayTests.receivedAt, emit: take)
            start = end
        }
        let s = decoder.finish(emit: take)
        out.deviceSerial = s.deviceSerial
        out.deviceModel = s.deviceModel
        out.deviceClock = s.deviceClock
        out.counters = s.counters
        out.pendingBytes = s.pendingBytes
        return out
    }

    @Test(arguments: CaptureReplayTests.captures)
    func streamedReplayOfAShippedCaptureLosesOrChangesNothingHoweverItIsSplit(_ capture: String) throws {
        let modelDir = URL(fileURLWithPath: capture).deletingLastPathComponent().deletingLastPathComponent().path
        let profile = try CaptureReplayTests.profile(in: modelDir)
        let make = try #require(ProtocolRegistry.driver(for: profile).streamCapture, "\(profile.protocol) has no capture stream")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: capture)))
        let whole = CaptureReplay(profile: profile).decode(bytes, receivedAt: CaptureReplayTests.receivedAt)
        #expect(!whole.readings.isEmpty)
        for size in [1, 7, 64, 4096, StreamingReplay.readSize] {
            let streamed = Self.streamed(make(profile), bytes, pieces: size)
            #expect(streamed.readings.map(ReadingJSON.line) == whole.readings.map(ReadingJSON.line), "pieces of \(size)")
            #expect(streamed.problems == whole.problems, "pieces of \(size)")
            #expect(streamed.counters == whole.counters, "pieces of \(size)")
            #expect(streamed.pendingBytes == whole.pendingBytes, "pieces of \(size)")
            #expect(streamed.deviceSerial == whole.deviceSerial && streamed.deviceModel == whole.deviceModel
                    && streamed.deviceClock == whole.deviceClock, "pieces of \(size)")
        }
    }

    @Test func problemTextsOfAHugeBadCaptureAreCountedNotAllKept() throws {
        // 1500 MLLP blocks that are not HL7 messages: each one a problem.
        let block: [UInt8] = [0x0B] + Array("not a message".utf8) + [0x1C, 0x0D]
        let bytes = Array([[UInt8]](repeating: block, count: 1500).joined())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-stream-\(UUID().uuidString).bin").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var decoder: any CaptureStreamDecoder = HL7Capture.Stream(profileID: "p")
        let outcome = try StreamingReplay.run(path: path, decoder: &decoder, receivedAt: CaptureReplayTests.receivedAt) { _ in }
        #expect(outcome.problems.count == StreamingReplay.keptProblems)
        #expect(outcome.problemCount == 1500)
        #expect(outcome.droppedProblems == 1500 - StreamingReplay.keptProblems)
        #expect(outcome.bytes == bytes.count)
        #expect(outcome.readings == 0)
        #expect(ReplaySummary.line(outcome).contains("\"rejected\":1500,"))
    }
}
