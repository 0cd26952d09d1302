import Tools
import Transports
import Sessions
import Daemon
import DeviceProfiles
import Foundation
import PocGateCore
import Testing

/// The declarative TD-4277 profile against the hand-written TaiDoc codec, and what
/// `pocgate profile test` says about refused frames.
@Suite struct DeclarativeReplayTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func profile(_ path: String) throws -> DeviceProfile {
        let file = repo + "/DeviceProfiles/" + path + "/profile.yaml"
        return try DeviceProfile.parse(try String(contentsOfFile: file, encoding: .utf8), file: file, families: .builtIn)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: repo + "/DeviceProfiles/" + path)))
    }

    /// The capture and a longer stream with every d3 meal context, HI/LO values and noise.
    static func captures() throws -> [[UInt8]] {
        func f(_ cmd: UInt8, _ d: [UInt8]) -> [UInt8] {
            let b = [0x51, cmd] + d + [0xA5]
            return b + [b.reduce(0, &+)]
        }
        var long = f(0x24, [0x77, 0x42, 0, 0]) + f(0x28, [1, 2, 3, 4]) + f(0x27, [5, 6, 7, 8]) + f(0x23, [0xCF, 0x30, 0x1E, 0x08])
        for (i, v) in [5, 19, 20, 120, 600, 601, 999, 120].enumerated() {
            let day = UInt8(1 + i)
            long += f(0x25, [0xC0 | day, 0x30, UInt8(i * 7), 0x08]) + [0x00, 0x51]
            long += f(0x26, [UInt8(v & 0xFF), UInt8(v >> 8), 0, UInt8(i % 4) << 6])
        }
        long += f(0x25, [0xC1, 0x30, 0, 8]) + f(0x26, [100, 0, 0, 0x1C])   // ketone: a problem in both
        long += f(0x26, [100, 0, 0, 0])                                      // value without time
        return [try bytes("taidoc/td4277/captures/vectors.bin"), long]
    }

    @Test func declarativeTD4277ReplaysExactlyLikeTheHandWrittenCodec() throws {
        let hand = try Self.profile("taidoc/td4277"), declarative = try Self.profile("taidoc/td4277-declarative")
        for capture in try Self.captures() {
            let a = CaptureReplay(profile: hand).decode(capture, receivedAt: CaptureReplayTests.receivedAt),
                b = CaptureReplay(profile: declarative).decode(capture, receivedAt: CaptureReplayTests.receivedAt)
            #expect(!a.readings.isEmpty)
            let relabelled = b.readings.map { r in
                ReadingJSON.line(r).replacingOccurrences(of: "\"profile\":\"taidoc-td4277-declarative\"", with: "\"profile\":\"taidoc-td4277\"")
            }
            #expect(relabelled == a.readings.map(ReadingJSON.line))
            #expect(b.readings.map(\.raw) == a.readings.map(\.raw))
            #expect(b.readings.map(\.deviceModel) == a.readings.map(\.deviceModel))
            #expect(b.readings.map(\.flags) == a.readings.map(\.flags))
            #expect(Set(b.readings.map(\.recordKey)).count == b.readings.count)
            #expect(b.deviceSerial == a.deviceSerial && b.deviceModel == a.deviceModel && b.deviceClock == a.deviceClock)
            #expect(b.problems.count == a.problems.count)
            #expect(b.counters.frames == a.counters.frames && b.counters.badChecksums == a.counters.badChecksums)
        }
    }

    @Test func profileTestShowsExpectedAndActualChecksumOfARejectedFrame() throws {
        var capture = try Self.bytes("taidoc/td4277-declarative/captures/vectors.bin")
        capture[0x3F] ^= 0x01   // the first value reply's checksum: D4 → D5
        let out = ProfileTestRun.run(try Self.profile("taidoc/td4277-declarative"), capture: ReplayInput(bytes: capture, receivedAt: CaptureReplayTests.receivedAt), format: .text)
        #expect(out.lines.contains("rejected frame at byte 56: 51 26 78 00 00 40 A5 D5: bad checksum: expected 0xd4, frame carries 0xd5"))
        #expect(out.lines.contains("reading: 2019-08-04T13:37:00 glucose 85 mg/dL (LOINC 41653-7) [after-meal]"))
        #expect(out.lines.last == "2 readings, 11 frames, 10 garbage bytes, 1 bad checksums, 0 malformed, 0 oversized")
        let nd = ProfileTestRun.run(try Self.profile("taidoc/td4277-declarative"), capture: ReplayInput(bytes: capture, receivedAt: CaptureReplayTests.receivedAt), format: .ndjson)
        #expect(nd.lines.count == 2)
        #expect(nd.diagnostics.first?.contains("expected 0xd4, frame carries 0xd5") == true)
    }

    @Test func profileTestNamesUnknownRecordTypesAndTruncatedFrames() throws {
        let profile = try Self.profile("carewell/nibp-module")
        // A CRC-correct frame with token 0x41 (not declared) and a frame cut short at the end.
        let unknown: [UInt8] = [0xAA, 0x55, 0x41, 0x02, 0x01]
        let frame = unknown + [Self.crc8maxim(unknown)]
        let out = ProfileTestRun.run(profile, capture: ReplayInput(bytes: frame + [0xAA, 0x55, 0x43, 0x0F, 0x01], receivedAt: CaptureReplayTests.receivedAt), format: .text)
        #expect(out.lines.contains { $0.hasPrefix("rejected frame at byte 0: AA 55 41 02 01") && $0.hasSuffix("malformed frame: no record type matches the frame") })
        #expect(out.lines.contains("rejected frame at byte 6: AA 55 43 0F 01: malformed frame: the capture ends inside a frame"))
    }

    static func crc8maxim(_ data: [UInt8]) -> UInt8 {
        var crc: UInt8 = 0
        for b in data {
            crc ^= b
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x8C : crc >> 1 }
        }
        return crc
    }

    @Test func validateReportsErrorsWithLocationsAndExitStatus() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-validate-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = Self.repo + "/DeviceProfiles/carewell/nibp-module/profile.yaml"
        var text = try String(contentsOfFile: good, encoding: .utf8)
        text = text.replacingOccurrences(of: "    - {send: read_version, expect: info}", with: "    - {send: sleep, expect: info}")
        let bad = dir.appendingPathComponent("bad.yaml").path
        try text.write(toFile: bad, atomically: true, encoding: .utf8)
        let report = ProfileValidation.run(files: [good, bad], directories: [Self.repo + "/DeviceProfiles"])
        #expect(report.errorCount == 1)
        #expect(report.lines.contains("\(good): ok (carewell-nibp-module version 1, declarative)"))
        #expect(report.lines.contains { $0.hasPrefix("\(bad):70:14: error: command 'sleep' is declared 'writes: true'") }, "\(report.lines)")
        let listing = ProfileListing.lines(directories: [Self.repo + "/DeviceProfiles"])
        #expect(listing.contains { $0.hasPrefix("taidoc-td4277-declarative\t1\tdeclarative\tusb 067b:2303 (disabled)\t") })
        #expect(listing.contains { $0.hasPrefix("carewell-nibp-module\t1\tdeclarative\tusb 1a86:55d4\t") })
    }
}
