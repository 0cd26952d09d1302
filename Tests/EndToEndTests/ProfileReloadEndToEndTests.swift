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

    func deploy(sighup: Bool) async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let profiles = try Self.profileDirectory()
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 15)
        options.untilLogLine = "dump complete"
        options.unclaimedLine = "port not claimed"
        options.reloadCopy = (Self.repo + "/DeviceProfiles/taidoc/td4277/profile.yaml", profiles + "/taidoc/td4277/profile.yaml")
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
        #expect(GatewayUnderTest.sessionLines(stderr).map { $0["DEVICE"] } == ["/dev/ttyUSB0"])
    }

    @Test func copyingTheProfileInAndSIGHUPClaimsTheWaitingPortAndUploadsItsReadings() async throws {
        try await deploy(sighup: true)
    }

    @Test func theDirectoryWatcherReloadsWithoutASignal() async throws {
        try await deploy(sighup: false)
    }
}
