import Foundation
import Testing
import TestSupport

/// `pocgate run` with a meter plugged in: the center hears the daemon's heartbeat and the
/// metrics file is kept, through the real status thread, libcurl and the receiver's validation.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct FleetEndToEndTests {
    @Test("a daemon the center cannot tell from a dead box: `pocgate run` sends a valid heartbeat at start and writes the metrics file")
    func daemonHeartbeatAndMetrics() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        let metrics = gateway.directory + "/pocgate.prom"
        let handle = try #require(FileHandle(forWritingAtPath: gateway.configPath))
        handle.seekToEndOfFile()
        handle.write(Data("\nmetrics:\n  textfile: \(metrics)\n".utf8))
        try handle.close()

        var options = GatewayUnderTest.options(records: 5)
        options.untilLogLine = "dump complete"
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        #expect(run.result.ok, "\(run.diagnostics)")
        let beats = receiver.requests().filter { $0.headers["x-pocgate-heartbeat"] != nil }
        #expect(!beats.isEmpty && beats.allSatisfy { $0.status == 200 }, "\(beats.map(\.status)) \(receiver.errorOutput())")
        #expect(beats.first?.body.contains("/identifier/gateway-id") == true)
        #expect(!run.daemonStderr.contains("PG-HBT-") && !run.daemonStderr.contains("PG-MET-"), "\(run.daemonStderr)")
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains("# TYPE pocgate_upload_attempts_total counter") && text.contains("pocgate_info{gateway="))
    }
}
