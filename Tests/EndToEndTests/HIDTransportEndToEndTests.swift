import PocGateCore
import DeviceProfiles
import Foundation
import FrameParsing
import Sessions
import Testing
import TestSupport
import Tools

/// The hidraw transport under the daemon beyond the shipped CP2110 profile: a `transport: hid`
/// profile (whole reports, no bridge) on a chosen USB interface, and identification probes over
/// a CP2110 when two profiles claim its id. Test-only profiles in a temporary directory; the
/// devices are `Tests/Harness/hid_player.py` models in front of the TaiDoc emulator.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct HIDTransportEndToEndTests {
    static let shipped = UmockdevHarness.repositoryRoot.appendingPathComponent("DeviceProfiles/taidoc/glucorx-nexus-cp2110/profile.yaml").path

    /// A directory with `files` (name → YAML); removed by the caller.
    static func profileDirectory(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-hid-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    /// The test-only `transport: hid` profile: TaiDoc frames in plain reports, 16c0:05df, interface 1.
    static func hidProfile() throws -> String {
        try String(contentsOfFile: Self.shipped, encoding: .utf8)
            .replacingOccurrences(of: "id: glucorx-nexus-cp2110", with: "id: test-taidoc-hid-reports")
            .replacingOccurrences(of: "transport: cp2110", with: "transport: hid")
            .replacingOccurrences(of: "vendor: 0x10c4", with: "vendor: 0x16c0")
            .replacingOccurrences(of: "product: 0xea80", with: "product: 0x05df")
            .replacingOccurrences(of: "interface: 0 ", with: "interface: 1 ")
    }

    /// `pocgate capture` on a `transport: hid` node records one report per record, both ways,
    /// and the capture replays to the meter's memory.
    @Test func aCaptureOfAHIDDeviceRecordsOneReportPerRecord() async throws {
        let profiles = try Self.profileDirectory(["hid.yaml": try Self.hidProfile()])
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("hid-\(UUID().uuidString.prefix(8)).pgcap").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let binary = try #require(BuiltProducts.executable(named: "pocgate"), "pocgate is not built next to the tests")
        var options = GatewayUnderTest.options(records: 6)
        options.link = "hid"
        options.hidID = "16c0:05df"
        options.hidInterface = 1
        options.preplug = true
        options.readyLine = nil
        options.untilLogLine = nil
        let run = try await UmockdevHarness.run(.plug, options: options, command: [
            binary.path, "capture", "/dev/hidraw0", "--profile", profiles + "/hid.yaml", "--out", out])
        defer { run.removeWorkdir() }
        #expect(run.result.ok && run.result.daemon?.exitStatus == 0, "\(run.diagnostics)")
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: out)))
        let capture = try CaptureFile.parse(bytes)
        #expect(capture.framing == .reports && capture.header.contains(#""transport":"hid""#) && !capture.header.contains("baud"),
                "\(capture.header)")
        // Each record is one whole 8-byte report: the meter's replies (A5) and the host's frames (A3).
        #expect(!capture.chunks.isEmpty && capture.chunks.allSatisfy { $0.bytes.count == 8 && $0.bytes[0] == 0x51 })
        #expect(capture.chunks.allSatisfy { $0.bytes[6] == ($0.direction == .device ? 0xA5 : 0xA3) })
        let hid = try #require(run.result.phases.first?.hid)
        #expect(hid.outputReports == capture.chunks.filter { $0.direction == .gateway }.map { $0.bytes.map { String(format: "%02x", $0) }.joined() })
        let profile = try #require(ProfileCatalog.load(directories: [profiles], families: .builtIn).catalog.profile(id: "test-taidoc-hid-reports"))
        let replayed = CaptureReplay(profile: profile).decode(try ReplayInput.read(bytes, zone: ZoneInfo.named("Asia/Shanghai")!,
                                                                                  plainReceivedAt: Date()))
        #expect(replayed.readings.count == 6)
    }

    /// Risk: a HID device read through the wrong interface, or its reports cut or merged. A
    /// device that carries TaiDoc frames in plain 8-byte reports on interface 1 is claimed by
    /// the `transport: hid` profile for that interface, every frame goes out as one whole
    /// output report, the memory reaches the center once, and no feature report is written.
    @Test func aHIDProfileReadsWholeReportsOnItsInterface() async throws {
        let profiles = try Self.profileDirectory(["hid.yaml": try Self.hidProfile()])
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 15)
        options.link = "hid"
        options.hidID = "16c0:05df"
        options.hidInterface = 1
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "\(run.result.violations)")
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
        let sessions = GatewayUnderTest.sessionLines(run.daemonStderr)
        #expect(sessions.map { $0["NEW"] } == ["15", "0"] && sessions.allSatisfy { $0["PROFILE"] == "test-taidoc-hid-reports" },
                "\(sessions)")
        for phase in run.result.phases {
            let hid = try #require(phase.hid)
            #expect(hid.featuresSet.isEmpty, "\(phase.name): \(hid.featuresSet)")
            // Every output report is one whole TaiDoc host frame: 51 cmd d0..d3 a3 sum.
            #expect(!hid.outputReports.isEmpty && hid.outputReports.allSatisfy { $0.count == 16 && $0.hasPrefix("51") && $0.dropFirst(12).hasPrefix("a3") },
                    "\(phase.name): \(hid.outputReports.prefix(4))")
        }
    }

    /// Identification probes take the same path on a hidraw node: two profiles claim the
    /// CP2110 id; each probe sets the bridge up before its read-only model request, and the
    /// one whose models list the meter's answer claims it.
    @Test func twoProfilesOnOneCP2110AreToldApartByTheProbe() async throws {
        let text = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        let other = text.replacingOccurrences(of: "id: glucorx-nexus-cp2110", with: "id: test-fora-cp2110")
            .replacingOccurrences(of: #"model: "4277""#, with: #"model: "3261""#)
            .replacingOccurrences(of: #"model: "4279""#, with: #"model: "3262""#)
            .replacingOccurrences(of: #"model: "4141""#, with: #"model: "3263""#)
            .replacingOccurrences(of: #"model: "4283""#, with: #"model: "3264""#)
            .replacingOccurrences(of: "      interface: 0 ", with: "      interface: 0 \n  probe_order: 10")
        let nexus = text.replacingOccurrences(of: "      interface: 0 ", with: "      interface: 0 \n  probe_order: 20")
        let profiles = try Self.profileDirectory(["a.yaml": other, "b.yaml": nexus])
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 8)
        options.link = "cp2110"
        options.untilLogLine = "dump complete"
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "\(run.result.violations)")
        #expect(stderr.contains("probed test-fora-cp2110 (silent"), "\(stderr)")
        #expect(stderr.contains("glucorx-nexus-cp2110 (answered: model 4277)"), "\(stderr)")
        #expect(GatewayUnderTest.sessionLines(stderr).map { $0["PROFILE"] } == ["glucorx-nexus-cp2110"])
        let hid = try #require(run.result.phases.first?.hid)
        CP2110EndToEndTests.expectOnlySetupAndData(hid, phase: "port-A")
        #expect(hid.featuresSet.count == 3 * 3, "two probes and the session each set the bridge up: \(hid.featuresSet)")
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
    }
}
