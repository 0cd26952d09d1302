import Daemon
import Tools
import Sessions
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// An Abbott FreeStyle Optium (emulated from the public `$xmem` description; it ignores the
/// first command after plug-in, as real meters do) on Abbott's TUSB3410 strip-port cable under
/// umockdev, read live by the daemon with the shipped profiles.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct FreeStyleEndToEndTests {
    /// Risk: a clinic plugs in a FreeStyle Optium and nothing is uploaded, a replug uploads the
    /// readings again, or the clock is written (`$tim`).
    @Test func aFreeStyleDumpIsDeliveredOnceAndTheReplugAddsNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 15)
        options.family = "freestyle"
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent $tim")
        let heard = run.result.phases.flatMap { $0.framesReceived ?? [] }
        #expect(Set(heard) == ["$xmem"], "\(heard)")

        let received = receiver.receivedObservations()
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        let got = received.map { o -> String in
            let original = (o["extension"] as? [[String: Any]])?.first {
                ($0["url"] as? String)?.hasSuffix("/StructureDefinition/original-quantity") == true
            }?["valueQuantity"] as? [String: Any]
            return "\(o["effectiveDateTime"] as? String ?? "?")|\((original?["value"] as? NSNumber)?.stringValue ?? "?")"
        }.sorted()
        #expect(got == run.expected.records.map { "\($0.time)+08:00|\($0.value)" }.sorted())
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["PROFILE"] } == ["abbott-freestyle-optium", "abbott-freestyle-optium"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["15", "0"], "\(sessions)")
        #expect(try gateway.stats().readings == 15)
    }

    /// Risk: a cable pulled mid-dump stores lines no checksum has vouched for, or loses the
    /// memory. The dump's lines carry no checksum of their own, so nothing of a cut dump is
    /// stored; the meter keeps its memory and the replug stores every record once.
    @Test func unplugMidDumpStoresNothingUncheckedAndTheReplugStoresEverything() async throws {
        // A FreeStyle dump is stored only once its checksum matches: the cut session keeps none.
        try await UnplugMidDump.check(family: "freestyle") { $0 == 0 }
    }
}
