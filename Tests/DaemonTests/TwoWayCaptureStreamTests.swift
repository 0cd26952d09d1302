import Tools
import Sessions
import DeviceProfiles
import FrameParsing
import Foundation
import PocGateCore
import Testing

/// Two-way `pocgate capture` files streamed record by record (`StreamingReplay.runCapture`):
/// the same readings, times, problems and counts as the file read whole, and a damaged file
/// refused before anything is decoded.
@Suite struct TwoWayCaptureStreamTests {
    static let zone = ZoneInfo.named("Asia/Shanghai")!
    static let modified = Date(timeIntervalSince1970: 1_718_400_000)

    /// `bytes` as a two-way capture: device records of 7 and 4096 bytes in turn, a gateway
    /// record between them, each a millisecond after the last.
    static func twoWay(_ bytes: [UInt8], framing: String = "bytes") -> [UInt8] {
        var chunks: [CaptureFile.Chunk] = []
        var start = 0
        var micros: UInt64 = 0
        while start < bytes.count {
            let size = chunks.count % 4 == 0 ? 7 : 4096
            let end = min(bytes.count, start + size)
            chunks.append(.init(direction: .device, micros: micros, bytes: Array(bytes[start..<end])))
            chunks.append(.init(direction: .gateway, micros: micros + 500, bytes: [0x06]))
            start = end
            micros += 1000
        }
        let header = "{\"profile\":\"p\",\"framing\":\"\(framing)\",\"started\":\"2024-06-15T00:30:00Z\"}"
        return CaptureFile(header: header, chunks: chunks).encoded()
    }

    /// Streams the file at `path` and collects what it decodes.
    static func streamed(_ profile: DeviceProfile, _ path: String) throws -> (DecodedCapture, StreamingReplay.Outcome) {
        let make = try #require(ProtocolRegistry.driver(for: profile).streamCapture)
        var decoder = make(profile)
        var out = DecodedCapture()
        let outcome = try StreamingReplay.runCapture(path: path, decoder: &decoder, clock: { header in
            ReplayInput.recordClock(header: header, zone: zone, plainReceivedAt: modified)
        }) { out.readings.append($0) }
        out.problems = outcome.problems
        out.counters = outcome.summary.counters
        out.pendingBytes = outcome.summary.pendingBytes
        return (out, outcome)
    }

    static func temporary(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-twoway-\(UUID().uuidString).pgcap").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: CaptureReplayTests.captures)
    func twoWayCaptureStreamedRecordByRecordDecodesAsTheWholeFile(_ capture: String) throws {
        let modelDir = URL(fileURLWithPath: capture).deletingLastPathComponent().deletingLastPathComponent().path
        let profile = try CaptureReplayTests.profile(in: modelDir)
        let file = Self.twoWay([UInt8](try Data(contentsOf: URL(fileURLWithPath: capture))))
        let path = try Self.temporary(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let input = try ReplayInput.read(file, zone: Self.zone, plainReceivedAt: Self.modified)
        let whole = CaptureReplay(profile: profile).decode(input)
        let (streamed, outcome) = try Self.streamed(profile, path)
        #expect(!whole.readings.isEmpty)
        #expect(streamed.readings.map(ReadingJSON.line) == whole.readings.map(ReadingJSON.line))
        #expect(streamed.problems == whole.problems)
        #expect(streamed.counters == whole.counters)
        #expect(streamed.pendingBytes == whole.pendingBytes)
        #expect(outcome.bytes == input.deviceBytes.count)
    }

    @Test func cp2110CaptureStreamedGivesTheUARTBytesOfEachReport() throws {
        let modelDir = CaptureReplayTests.repo + "/DeviceProfiles/generic/aa55-health-kiosk"
        let profile = try CaptureReplayTests.profile(in: modelDir)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelDir + "/captures/session.bin")))
        var chunks: [CaptureFile.Chunk] = [.init(direction: .device, micros: 0, bytes: [0x00, 0xFF])]  // no UART bytes
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 1 + chunks.count % 63)
            chunks.append(.init(direction: .device, micros: UInt64(chunks.count) * 2_000_000,
                                bytes: [UInt8(end - start)] + bytes[start..<end] + [0xEE, 0xEE]))  // padding past the count
            start = end
        }
        let file = CaptureFile(header: "{\"framing\":\"cp2110-reports\",\"started\":\"2024-06-15T00:30:00Z\"}", chunks: chunks).encoded()
        let path = try Self.temporary(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = CaptureReplay(profile: profile).decode(try ReplayInput.read(file, zone: Self.zone, plainReceivedAt: Self.modified))
        let (streamed, _) = try Self.streamed(profile, path)
        #expect(!whole.readings.isEmpty)
        #expect(streamed.readings.map(ReadingJSON.line) == whole.readings.map(ReadingJSON.line))
        #expect(streamed.counters == whole.counters)
    }

    @Test func damagedTwoWayCaptureIsRefusedBeforeAnyReadingIsDecoded() throws {
        let modelDir = CaptureReplayTests.repo + "/DeviceProfiles/generic/aa55-health-kiosk"
        let profile = try CaptureReplayTests.profile(in: modelDir)
        let file = Self.twoWay([UInt8](try Data(contentsOf: URL(fileURLWithPath: modelDir + "/captures/session.bin"))))
        for damaged in [Array(file.dropLast(3)), file + [0x58]] {
            let path = try Self.temporary(damaged)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let make = try #require(ProtocolRegistry.driver(for: profile).streamCapture)
            var decoder = make(profile)
            var decoded = 0
            let wholeError: CaptureFile.ReadError?
            do { _ = try ReplayInput.read(damaged, zone: Self.zone, plainReceivedAt: Self.modified); wholeError = nil } catch { wholeError = error }
            let clock: (String) -> (UInt64) -> LocalDateTime = { _ in { _ in CaptureReplayTests.receivedAt } }
            var streamError: CaptureFile.ReadError?
            do {
                _ = try StreamingReplay.runCapture(path: path, decoder: &decoder, clock: clock, reading: { _ in decoded += 1 })
            } catch let failure {
                if case let .format(_, error) = failure { streamError = error }
            }
            #expect(decoded == 0)
            #expect(wholeError != nil)
            #expect(streamError == wholeError)
        }
    }

    @Test func profileTestOfAHugeCaptureListsTheFirstReadingsAndCountsTheRest() throws {
        let modelDir = CaptureReplayTests.repo + "/DeviceProfiles/carewell/nibp-module"
        let profile = try CaptureReplayTests.profile(in: modelDir)
        let one = [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelDir + "/captures/measurements.bin")))
        let perCopy = CaptureReplay(profile: profile).decode(one, receivedAt: CaptureReplayTests.receivedAt).readings.count
        let copies = 2 * ProfileTestRun.keptLines / perCopy + 1
        let bytes = Array([[UInt8]](repeating: one, count: copies).joined())
        let out = ProfileTestRun.run(profile, capture: ReplayInput(bytes: bytes, receivedAt: CaptureReplayTests.receivedAt), format: .text)
        #expect(out.lines.filter { $0.hasPrefix("reading: ") }.count == ProfileTestRun.keptLines)
        #expect(out.lines.contains("\(perCopy * copies - ProfileTestRun.keptLines) more readings, not listed (use --format ndjson for all)"))
        #expect(out.lines.last?.hasPrefix("\(perCopy * copies) readings, ") == true)
        let ndjson = ProfileTestRun.run(profile, capture: ReplayInput(bytes: bytes, receivedAt: CaptureReplayTests.receivedAt), format: .ndjson)
        #expect(ndjson.lines.count == perCopy * copies)
    }
}
