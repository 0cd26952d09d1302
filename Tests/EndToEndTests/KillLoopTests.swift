import Daemon
import Tools
import Sessions
import Foundation
import Store
import Testing
import TestSupport

/// kill -9 at random instants during the dump and the upload, restart on the same store, again
/// and again, while the meter keeps taking measurements (so its record indexes shift): the center ends up with exactly the meter's readings — nothing lost, nothing
/// created twice — and the chain of signed batches is intact. `scripts/soak-kill` runs the
/// same with 200+ kills.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct KillLoopTests {
    static let records = 300
    /// Measurements the meter takes while plugged, between two runs of the daemon: every cycle
    /// has new work.
    static let newRecords = 10
    static let kills = 10

    /// A copy of the TD-4277 profile that leaves the meter on after a dump, so every restart
    /// dumps it again (and a kill can land in the middle of it).
    static func profileDirectory(in directory: String) throws -> String {
        let source = UmockdevHarness.repositoryRoot.path + "/DeviceProfiles/taidoc/td4277/profile.yaml"
        let text = try String(contentsOfFile: source, encoding: .utf8)
            .replacingOccurrences(of: "power_off_when_done: true", with: "power_off_when_done: false")
            .replacingOccurrences(of: "poll_interval_s: 30", with: "poll_interval_s: 2")
        let profiles = directory + "/profiles"
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        try text.write(toFile: profiles + "/td4277.yaml", atomically: true, encoding: .utf8)
        return profiles
    }

    @Test func killedAtRandomItLosesNothingAndDuplicatesNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-kill-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: try Self.profileDirectory(in: work),
                                           uplinkExtra: ["batch_max_wait_ms: 100"])
        defer { gateway.cleanUp() }
        let loop = UmockdevHarness.repositoryRoot.path + "/Tests/Harness/kill_loop.py"
        let command = [UmockdevHarness.python.path, loop, "--cycles", "\(Self.kills)", "--store", gateway.storePath,
                       "--records", "\(Self.records + Self.newRecords)", "--min-delay", "0.05", "--max-delay", "1.0", "--restart-gap", "0.45", "--final-timeout", "90",
                       "--"] + gateway.command

        var options = UmockdevOptions()
        options.records = Self.records
        options.preplug = true
        options.meterClock = "now"
        options.newRecordEvery = 0.2
        options.replyDelayMillis = 1
        options.maxNewRecords = Self.newRecords
        options.untilLogLine = "kill-loop finished"
        options.settle = 0.3
        options.phaseTimeout = 150
        options.timeout = 200
        let run = try await UmockdevHarness.run(.plug, options: options, command: command)
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty)

        let summaryLine = run.daemonStdout.split(separator: "\n").last { $0.hasPrefix("kill-loop finished ") }
        let summary = try #require(summaryLine.flatMap {
            try? JSONSerialization.jsonObject(with: Data($0.dropFirst("kill-loop finished ".count).utf8)) as? [String: Any]
        }, "\(run.diagnostics)")
        #expect(summary["ok"] as? Bool == true, "\(summary)\n\(run.diagnostics)")
        #expect(summary["kills"] as? Int == Self.kills)

        // The center's view: every meter record once, with the exact value and time.
        let received = receiver.receivedObservations()
        let identifiers = received.compactMap { ($0["identifier"] as? [[String: Any]])?.first?["value"] as? String }
        let created = received.filter { $0["_status"] as? String == "201" }
        let total = Self.records + Self.newRecords
        #expect(run.expected.records.count == total)
        #expect(Set(identifiers).count == total, "distinct identifiers \(Set(identifiers).count)")
        #expect(created.count == total, "created \(created.count)")
        MeterToCenterTests.expectExactDelivery(created, expected: run.expected)
        let resent = received.count - created.count

        // The chain of signed batches survived every kill.
        let key = gateway.directory + "/gateway.key"
        #expect(FileManager.default.fileExists(atPath: key))
        let pocgate = try #require(BuiltProducts.executable(named: "pocgate"))
        let publicKey = try Self.output(pocgate.path, ["key", "--public", "--config", gateway.configPath])
        #expect(publicKey.status == 0 && publicKey.text.contains("BEGIN PUBLIC KEY"))
        let keyFile = work + "/gateway-public.pem"
        try publicKey.text.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let chain = try Self.output(pocgate.path, ["verify-chain", "--public-key", keyFile, receiver.requestsFile])
        #expect(chain.status == 0, "\(chain.text)")
        let stats = try gateway.stats()
        #expect(stats.readings == total && stats.pending == 0)
        print(run.daemonStdout)
        print("kill loop: \(Self.kills) kills (dump \(summary["killsDuringDump"] ?? "?"), upload \(summary["killsDuringUpload"] ?? "?")), "
              + "0 lost, \(created.count - Set(identifiers).count) duplicates, \(resent) entries re-sent; \(chain.text.split(separator: "\n").last ?? "")")
    }

    static func output(_ executable: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
