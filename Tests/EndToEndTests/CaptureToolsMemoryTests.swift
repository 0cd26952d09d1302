import Foundation
import FrameParsing
import TestSupport
import Testing

/// `pocgate replay`, `profile test` and `profile sketch` through the built binary, on a capture
/// and on the same capture sixteen times larger: the peak resident set of the larger run stays
/// within a small margin of the smaller one's and under 64 MiB, for every family that used to
/// be read whole (declarative, AA 55, SCP-ECG, the framed ECG transfer) and for two-way capture
/// files. Sizes keep each run of the debug build to seconds.
@Suite("capture tools memory", .serialized)
struct CaptureToolsMemoryTests {
    static let profiles = ReplayMemoryTests.repository + "/DeviceProfiles/"
    /// What the larger run may add to the smaller one's peak.
    static let marginKiB = 16 * 1024
    /// The bound of issue 18 on any run.
    static let ceilingKiB = 64 * 1024

    /// Runs `pocgate arguments… file` under `/usr/bin/time -v`, its output discarded; the peak RSS in KiB.
    static func peak(_ arguments: [String], _ file: String) throws -> Int {
        let pocgate = try #require(BuiltProducts.executable(named: "pocgate"), "pocgate is not built next to the tests").path
        let timing = file + ".time"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-v", "-o", timing, pocgate] + arguments + [file]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pocgate \(arguments.joined(separator: " ")) \(file)")
        let report = try String(contentsOfFile: timing, encoding: .utf8)
        let line = try #require(report.split(separator: "\n").first { $0.contains("Maximum resident set size") })
        return try #require(Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)))
    }

    /// `capture` repeated to at least `size` bytes, written to `path`, plain or as a two-way
    /// capture of 4 KiB device records.
    static func write(_ capture: String, size: Int, to path: String, twoWay: Bool = false) throws {
        let one = [UInt8](try Data(contentsOf: URL(fileURLWithPath: profiles + capture)))
        var bytes = Array([[UInt8]](repeating: one, count: size / one.count + 1).joined())
        if twoWay {
            var chunks: [CaptureFile.Chunk] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 4096)
                chunks.append(.init(direction: .device, micros: UInt64(chunks.count) * 1000, bytes: Array(bytes[start..<end])))
                start = end
            }
            bytes = CaptureFile(header: "{\"started\":\"2024-06-15T00:30:00Z\"}", chunks: chunks).encoded()
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Peak RSS of `arguments` on `capture` at `small` bytes and at 16 × `small`.
    static func check(_ arguments: [String], _ capture: String, small: Int, twoWay: Bool = false) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-tools-mem-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(capture, size: small, to: dir + "/small", twoWay: twoWay)
        try write(capture, size: 16 * small, to: dir + "/big", twoWay: twoWay)
        let smallPeak = try peak(arguments, dir + "/small")
        let bigPeak = try peak(arguments, dir + "/big")
        #expect(bigPeak <= smallPeak + marginKiB, "peak RSS \(bigPeak) KiB on \(16 * small) bytes, \(smallPeak) KiB on \(small)")
        #expect(bigPeak < ceilingKiB, "peak RSS \(bigPeak) KiB")
    }

    static func replay(_ model: String) -> [String] {
        ["replay", "--profile", profiles + model + "/profile.yaml", "--format", "summary", "--received-at", "2024-06-15T08:30:00"]
    }

    @Test func replayOfADeclarativeCaptureTakesTheSameMemoryWhateverItsSize() throws {
        try Self.check(Self.replay("carewell/nibp-module"), "carewell/nibp-module/captures/measurements.bin", small: 128 << 10)
    }

    @Test func replayOfAnAA55CaptureTakesTheSameMemoryWhateverItsSize() throws {
        try Self.check(Self.replay("generic/aa55-health-kiosk"), "generic/aa55-health-kiosk/captures/session.bin", small: 256 << 10)
    }

    @Test func replayOfAnSCPECGCaptureTakesTheSameMemoryWhateverItsSize() throws {
        try Self.check(Self.replay("generic/ecg-12-lead-cart"), "generic/ecg-12-lead-cart/captures/resting-12-lead.bin", small: 192 << 10)
    }

    @Test func replayOfAnECGTransferCaptureTakesTheSameMemoryWhateverItsSize() throws {
        try Self.check(Self.replay("generic/ecg-pgec-transfer"), "generic/ecg-pgec-transfer/captures/resting-12-lead.bin", small: 512 << 10)
    }

    @Test func replayOfATwoWayCaptureFileTakesTheSameMemoryWhateverItsSize() throws {
        try Self.check(Self.replay("generic/aa55-health-kiosk"), "generic/aa55-health-kiosk/captures/session.bin",
                       small: 256 << 10, twoWay: true)
    }

    @Test func profileTestTakesTheSameMemoryWhateverTheCaptureSize() throws {
        let arguments = ["profile", "test", Self.profiles + "carewell/nibp-module/profile.yaml", "--received-at", "2024-06-15T08:30:00", "--capture"]
        try Self.check(arguments, "carewell/nibp-module/captures/measurements.bin", small: 128 << 10)
    }

    @Test func profileSketchReadsOnlyTheHeadOfAHugeCapture() throws {
        try Self.check(["profile", "sketch"], "generic/astm-poct/captures/transfer.bin", small: 64 << 10)
    }
}
