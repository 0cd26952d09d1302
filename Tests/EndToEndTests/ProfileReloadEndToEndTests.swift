import Daemon
import Tools
import Sessions
import Foundation
import Testing
import TestSupport

/// Deploying a profile without a restart: a running `pocgate run` whose profile directory has
/// no profile for the plugged TD-4277 leaves the port unclaimed; once the TaiDoc profile is
/// copied in (and SIGHUP sent, or the directory watcher notices), the same port is matched
/// again and the meter's readings reach the HTTPS receiver.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct ProfileReloadEndToEndTests {
    static let repo = UmockdevHarness.repositoryRoot.path

    /// A profile directory holding only the SD CodeFree profile (a CP210x cable: not the meter's).
    static func profileDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-profiles-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir + "/sd-biosensor/codefree", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repo + "/DeviceProfiles/sd-biosensor/codefree/profile.yaml",
                                         toPath: dir + "/sd-biosensor/codefree/profile.yaml")
        return dir
    }

    /// The built-in TaiDoc profile, or the declarative TD-4277 profile exactly as shipped but
    /// enabled: a profile written only in YAML, deployed to a running daemon.
    static func profileToDeploy(declarative: Bool) throws -> (source: String, target: String) {
        guard declarative else { return (repo + "/DeviceProfiles/taidoc/td4277/profile.yaml", "taidoc/td4277/profile.yaml") }
        let text = try String(contentsOfFile: repo + "/DeviceProfiles/taidoc/td4277-declarative/profile.yaml", encoding: .utf8)
        let enabled = text.replacingOccurrences(of: "\nenabled: false\n", with: "\nenabled: true\n")
        #expect(enabled != text, "the shipped declarative profile is disabled; the test enables it")
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("td4277-declarative-\(UUID().uuidString.prefix(8)).yaml").path
        try enabled.write(toFile: source, atomically: true, encoding: .utf8)
        return (source, "taidoc/td4277-declarative/profile.yaml")
    }

    func deploy(sighup: Bool, declarative: Bool = false) async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let profiles = try Self.profileDirectory()
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 15)
        options.untilLogLine = "dump complete"
        options.unclaimedLine = "port not claimed"
        let deployed = try Self.profileToDeploy(declarative: declarative)
        options.reloadCopy = (deployed.source, profiles + "/" + deployed.target)
        options.noSighup = !sighup
        let run = try await UmockdevHarness.run(.plugReload, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty)
        #expect(run.result.daemon?.exitStatus == 0, "\(stderr)")

        // Not claimed before the profile arrived; claimed by it after the reload, same port.
        let unclaimed = try #require(stderr.range(of: "port not claimed"), "\(stderr)")
        let reloaded = try #require(stderr.range(of: "profiles reloaded"), "\(stderr)")
        let attached = try #require(stderr.range(of: "device attached"), "\(stderr)")
        #expect(unclaimed.lowerBound < reloaded.lowerBound && reloaded.lowerBound < attached.lowerBound)
        #expect(stderr.contains(sighup ? "SIGHUP: reloading device profiles" : "profile directory changed; reloading the profiles"))
        #expect(stderr.contains("NEWLY_CLAIMED=1"), "\(stderr)")
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["DEVICE"] } == ["/dev/ttyUSB0"])
        #expect(sessions.map { $0["PROFILE"] } == [declarative ? "taidoc-td4277-declarative" : "taidoc-td4277"], "sessions: \(sessions)")
    }

    @Test func copyingTheProfileInAndSIGHUPClaimsTheWaitingPortAndUploadsItsReadings() async throws {
        try await deploy(sighup: true)
    }

    @Test func theDirectoryWatcherReloadsWithoutASignal() async throws {
        try await deploy(sighup: false)
    }

    /// The technician's loop end to end: a profile written only in YAML (no codec in the
    /// binary names it) is copied into the running daemon's directory, SIGHUP, and the
    /// mocked meter's readings arrive at the center exactly.
    @Test func aDeclarativeProfileDeployedWithSIGHUPUploadsTheMeter() async throws {
        try await deploy(sighup: true, declarative: true)
    }
}

/// A reload in the middle of a dump: the session in progress finishes on the profile version
/// it started with; the port's next session uses the new one.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct ReloadMidDumpEndToEndTests {
    static func td4277(version: Int) throws -> String {
        let text = try String(contentsOfFile: ProfileReloadEndToEndTests.repo + "/DeviceProfiles/taidoc/td4277/profile.yaml", encoding: .utf8)
        return text.replacingOccurrences(of: "version: 1\n", with: "version: \(version)\n")
            .replacingOccurrences(of: "poll_interval_s: 30", with: "poll_interval_s: 2")
            // The emulated meter stays off after a power-off: keep it on for the second session.
            .replacingOccurrences(of: "power_off_when_done: true", with: "power_off_when_done: false")
    }

    @Test func theSessionInProgressKeepsItsVersionAndTheNextUsesTheNewOne() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-midreload-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        try Self.td4277(version: 1).write(toFile: profiles + "/td4277.yaml", atomically: true, encoding: .utf8)
        let next = profiles + ".v2.yaml"
        try Self.td4277(version: 2).write(toFile: next, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: next) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 20)
        options.untilLogLine = "dump complete"
        options.cutAfter = 5
        options.replyDelayMillis = 40
        options.reloadCopy = (next, profiles + "/td4277.yaml")
        let run = try await UmockdevHarness.run(.reloadMidDump, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty)
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["PROFILE_VERSION"] } == ["1", "2"], "sessions: \(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["20", "0"])
        #expect(sessions.allSatisfy { $0["OUTCOME"] == "complete" })
        let reloaded = try #require(stderr.range(of: "profiles reloaded"))
        let firstDump = try #require(stderr.range(of: "dump complete"))
        #expect(reloaded.lowerBound < firstDump.lowerBound, "the reload happened during the first dump")
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
    }
}
