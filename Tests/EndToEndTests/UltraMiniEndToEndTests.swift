import Daemon
import Tools
import Sessions
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// A OneTouch UltraMini / UltraEasy (emulated from the public LifeScan binary link protocol)
/// on a PL2303 cable under umockdev, read live by the daemon with the shipped profiles: six
/// profiles claim that cable id; the TaiDoc/FORA and Ultra 2 probes stay unanswered and the
/// link-opening frame is acknowledged; the dump reaches the HTTPS receiver exactly once.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct UltraMiniEndToEndTests {
    /// Risk: a clinic plugs in an UltraMini and nothing is uploaded (no live session), a
    /// replug uploads the same readings again, or the meter is erased or its clock written.
    @Test func anUltraMiniDumpIsDeliveredOnceAndTheReplugAddsNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 15)
        options.family = "ultramini"
        options.phaseTimeout = 90
        options.timeout = 200
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent erase or a clock write")

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
        #expect(sessions.map { $0["PROFILE"] } == ["lifescan-onetouch-ultramini", "lifescan-onetouch-ultramini"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["15", "0"], "\(sessions)")
        #expect(stderr.contains("lifescan-onetouch-ultramini (answered: link acknowledged)"), "\(stderr)")
        #expect(try gateway.stats().readings == 15)
    }

    /// Risk: a cable pulled mid-dump loses what was read, or the replug stores it twice.
    @Test func unplugMidDumpKeepsWhatWasReadAndTheReplugCompletesIt() async throws {
        try await UnplugMidDump.check(family: "ultramini") { $0 >= 7 }
    }
}
