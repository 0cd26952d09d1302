import PocGateCore
import DeviceProfiles
import Foundation
import FrameParsing
import Sessions
import Testing
import TestSupport
import Tools

/// A GlucoRx Nexus (TaiDoc TD-4277) whose USB side is an on-board Silicon Labs CP2110
/// HID-to-UART bridge (10c4:ea80), under umockdev: a hidraw node found by libudev, claimed by
/// the `glucorx-nexus-cp2110` profile (`transport: cp2110`), the bridge's UART enabled and set
/// by feature reports, the unchanged TaiDoc session over the byte stream, the store and the
/// HTTPS FHIR receiver. The bridge is emulated from AN434 (Tests/Harness/hid_player.py), the
/// meter by the same TaiDoc emulator as on a tty.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct CP2110EndToEndTests {
    /// What a session writes to the bridge before any data: enable the UART, configure it at
    /// 19200 baud (0x00004B00), no parity, no flow control, 8 data bits (3), 1 stop bit (0),
    /// purge both FIFOs. Written from AN434's report layouts, not from the link's code.
    static let setup = ["4101", "5000004b0000000300", "4303"]

    static func options(records: Int) -> UmockdevOptions {
        var options = GatewayUnderTest.options(records: records)
        options.link = "cp2110"
        return options
    }

    /// Risk: a meter on a HID bridge never read (or read twice). The whole memory reaches the
    /// center exactly once; the replug on another port (another sysfs path, /dev/hidraw1)
    /// reads the same memory and sends nothing new; the bridge received exactly its setup
    /// reports, each session, and only data reports besides.
    @Test func aMeterBehindACP2110DeliversItsMemoryOnceAndTheReplugNothingNew() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        let run = try await UmockdevHarness.run(.replug, options: Self.options(records: 30), command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent a command that changes the meter or the bridge: \(run.result.violations)")
        #expect(stderr.contains("hidraw node added"), "\(stderr)")
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
        #expect(receiver.receivedObservations().allSatisfy { $0["_status"] as? String == "201" })
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["NEW"] } == ["30", "0"], "\(sessions)")
        #expect(sessions.map { $0["DEVICE"] } == ["/dev/hidraw0", "/dev/hidraw1"], "\(sessions)")
        #expect(sessions.map { $0["PROFILE"] } == ["glucorx-nexus-cp2110", "glucorx-nexus-cp2110"], "\(sessions)")
        for phase in run.result.phases {
            let hid = try #require(phase.hid, "phase \(phase.name) has no HID record")
            Self.expectOnlySetupAndData(hid, phase: phase.name)
            #expect(hid.bytesLostUartOff == 0, "\(phase.name): bytes sent before the UART was set up")
        }
        #expect(try gateway.stats().readings == 30)
    }

    /// The unplug-mid-dump scenario over the bridge: the cut session keeps what it stored, the
    /// replug completes the rest, the center gets each reading once.
    @Test func unplugMidDumpOverTheBridgeKeepsWhatWasReadAndTheReplugCompletesIt() async throws {
        try await UnplugMidDump.check(family: "taidoc", link: "cp2110", keptInCut: { $0 > 0 })
    }

    /// `pocgate capture` on the bridge's hidraw node records the reports as they crossed it
    /// (report id = byte count), and `replay` of that file reads the whole memory.
    @Test func aCaptureOnTheHidrawNodeRecordsTheReportsAndReplays() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cp2110-\(UUID().uuidString.prefix(8)).pgcap").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let binary = try #require(BuiltProducts.executable(named: "pocgate"), "pocgate is not built next to the tests")
        let profiles = UmockdevHarness.repositoryRoot.appendingPathComponent("DeviceProfiles").path
        var options = GatewayUnderTest.options(records: 12)
        options.link = "cp2110"
        options.preplug = true
        options.readyLine = nil
        options.untilLogLine = nil
        let run = try await UmockdevHarness.run(.plug, options: options, command: [
            binary.path, "capture", "/dev/hidraw0", "--profile", "glucorx-nexus-cp2110", "--profiles", profiles, "--out", out])
        defer { run.removeWorkdir() }
        #expect(run.result.ok && run.result.daemon?.exitStatus == 0, "\(run.diagnostics)")
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: out)))
        let capture = try CaptureFile.parse(bytes)
        #expect(capture.framing == .cp2110Reports, "\(capture.header)")
        #expect(capture.header.contains(#""transport":"cp2110""#) && capture.header.contains(#""baud":19200"#))
        let raw = capture.chunks.filter { $0.direction == .device }
        #expect(!raw.isEmpty && raw.allSatisfy { Int($0.bytes[0]) == $0.bytes.count - 1 }, "device chunks are whole data reports")
        let profile = try #require(ProfileCatalog.load(directories: [profiles], families: .builtIn).catalog.profile(id: "glucorx-nexus-cp2110"))
        let input = try ReplayInput.read(bytes, zone: ZoneInfo.named("Asia/Shanghai")!, plainReceivedAt: Date())
        let replayed = CaptureReplay(profile: profile).decode(input)
        #expect(replayed.readings.count == 12, "\(replayed.readings.count) readings replayed")
        #expect(Set(replayed.readings.map { "\($0.value)" }) == Set(run.expected.records.map { "\($0.value)" }))
    }

    /// Every session opened the bridge with exactly `setup`; every other report was a data report.
    static func expectOnlySetupAndData(_ hid: UmockdevResult.HIDTraffic, phase: String,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
        let sets = hid.featuresSet
        #expect(!sets.isEmpty && sets.count % setup.count == 0, "\(phase): \(sets)", sourceLocation: sourceLocation)
        for start in stride(from: 0, to: sets.count - sets.count % setup.count, by: setup.count) {
            #expect(Array(sets[start..<start + setup.count]) == setup, "\(phase): \(sets)", sourceLocation: sourceLocation)
        }
        for report in hid.outputReports {
            let bytes = report.count / 2
            let count = Int(report.prefix(2), radix: 16) ?? -1
            #expect((1...63).contains(count) && bytes == count + 1, "\(phase): not a data report: \(report)", sourceLocation: sourceLocation)
        }
    }
}
