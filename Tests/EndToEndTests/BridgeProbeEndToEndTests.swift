import Daemon
import Tools
import Sessions
import Foundation
import Testing
import TestSupport

/// Two live profiles claim the bare PL2303 id equally: the running daemon probes them in
/// `match.probe_order` with the read-only identification request only, the first that answers
/// claims the port, and the dump runs with it.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct BridgeProbeEndToEndTests {
    @Test func theFirstProfileToAnswerItsIdentificationProbeClaimsTheBridge() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-probe-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let shipped = try String(contentsOfFile: ProfileReloadEndToEndTests.repo + "/DeviceProfiles/taidoc/td4277/profile.yaml", encoding: .utf8)
        func variant(_ id: String, order: Int) -> String {
            shipped.replacingOccurrences(of: "id: taidoc-td4277", with: "id: \(id)")
                .replacingOccurrences(of: "  probe_order: 10 ", with: "  probe_order: \(order) ")
        }
        try variant("taidoc-later", order: 20).write(toFile: profiles + "/a.yaml", atomically: true, encoding: .utf8)
        try variant("taidoc-first", order: 10).write(toFile: profiles + "/b.yaml", atomically: true, encoding: .utf8)
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 10)
        options.untilLogLine = "dump complete"
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty)
        #expect(stderr.contains("probe chose a profile"), "\(stderr)")
        #expect(stderr.contains("probed taidoc-first (answered: model 4277)"), "\(stderr)")
        #expect(GatewayUnderTest.sessionLines(stderr).map { $0["PROFILE"] } == ["taidoc-first"])
        // The meter heard the identification request first, then the session's own wake-up.
        let heard = run.result.phases.first?.framesReceived ?? []
        #expect(heard.first == "512400000000a318" && heard.dropFirst().first == "512200000000a316", "\(heard.prefix(3))")
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
    }
}
