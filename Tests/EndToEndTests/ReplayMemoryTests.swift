import Foundation
import FrameParsing
import TestSupport
import Testing

/// `pocgate replay` of a capture far larger than its memory bound, through the built binary:
/// the peak resident set stays under a bound, and the output is the whole-capture path's.
@Suite("replay memory", .serialized)
struct ReplayMemoryTests {
    static let repository = #filePath.components(separatedBy: "/Tests/")[0]
    static let profile = repository + "/DeviceProfiles/ascensia/contour/profile.yaml"
    static let capture = repository + "/DeviceProfiles/ascensia/contour/captures/transfer.bin"
    /// The peak RSS allowed for the streamed replay (debug build; the release goal is 64 MB).
    static let peakLimitKiB = 96 * 1024

    /// Runs `pocgate replay` under `/usr/bin/time -v`, stdout into `output`; the peak RSS in KiB.
    static func replay(_ pocgate: String, _ file: String, output: String, format: String = "ndjson") throws -> Int {
        let timing = output + ".time"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-v", "-o", timing, pocgate, "replay", "--profile", profile, "--format", format,
                             "--received-at", "2024-06-15T08:30:00", file]
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try String(contentsOfFile: timing, encoding: .utf8)
        let line = try #require(report.split(separator: "\n").first { $0.contains("Maximum resident set size") })
        return try #require(Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)))
    }

    @Test func replayOfA64MiBCaptureStaysSmallAndPrintsWhatTheWholeCapturePathPrints() throws {
        let pocgate = try #require(BuiltProducts.executable(named: "pocgate"), "pocgate is not built next to the tests").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-replay-mem-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.capture)))

        // The whole-capture path: the same bytes as a two-way capture file, read whole.
        let wrapped = dir + "/one.pgcap"
        try Data(CaptureFile(header: "{}", chunks: [.init(direction: .device, micros: 0, bytes: one)]).encoded())
            .write(to: URL(fileURLWithPath: wrapped))
        _ = try Self.replay(pocgate, wrapped, output: dir + "/one.ndjson")
        let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/one.ndjson")))
        #expect(!expected.isEmpty)

        // The streamed path: the capture repeated to 64 MiB, a plain file.
        let copies = (64 << 20) / one.count + 1
        let big = dir + "/big.bin"
        _ = FileManager.default.createFile(atPath: big, contents: nil)
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        let block = Data(Array([[UInt8]](repeating: one, count: 4096).joined()))
        var written = 0
        while written < copies {
            let n = min(4096, copies - written)
            try writer.write(contentsOf: n == 4096 ? block : block.prefix(n * one.count))
            written += n
        }
        try writer.close()
        let peak = try Self.replay(pocgate, big, output: dir + "/big.ndjson")
        #expect(peak < Self.peakLimitKiB, "peak RSS \(peak) KiB")

        // Every copy printed exactly what the whole-capture path printed for one.
        let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: dir + "/big.ndjson"))
        defer { try? reader.close() }
        var matched = 0
        while let piece = try reader.read(upToCount: expected.count), !piece.isEmpty {
            guard [UInt8](piece) == expected else { break }
            matched += 1
        }
        #expect(matched == copies)

        // The summary line of the streamed path is the whole path's, but for the decode time.
        try Data(one).write(to: URL(fileURLWithPath: dir + "/one.bin"))
        _ = try Self.replay(pocgate, wrapped, output: dir + "/whole.summary", format: "summary")
        _ = try Self.replay(pocgate, dir + "/one.bin", output: dir + "/streamed.summary", format: "summary")
        func counts(_ file: String) throws -> String {
            try String(contentsOfFile: dir + "/" + file, encoding: .utf8).components(separatedBy: ",\"seconds\"")[0]
        }
        #expect(try counts("streamed.summary") == counts("whole.summary"))
        #expect(try counts("streamed.summary").contains("\"bytes\":\(one.count),"))
    }
}
