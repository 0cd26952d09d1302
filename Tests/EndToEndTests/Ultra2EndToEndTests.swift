import Daemon
import Tools
import Sessions
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// A OneTouch Ultra 2 (emulated from LifeScan's published "DM" line format) on a PL2303 cable
/// under umockdev, read live by the daemon with the shipped profiles: five profiles claim that
/// cable id, the TaiDoc ones stay silent to their probe and the Ultra 2 answers its serial
/// request; the dump reaches the HTTPS receiver exactly once.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct Ultra2EndToEndTests {
    /// Risk: a clinic plugs in an Ultra 2 and nothing is uploaded (no live session), or a
    /// replug uploads the same readings again, or the twins of one second become one reading.
    @Test func anUltra2DumpIsDeliveredOnceAndTheReplugAddsNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 15)
        options.family = "ultra2"
        options.phaseTimeout = 90
        options.timeout = 200
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent DMZ or DMT")
        let heard = run.result.phases.flatMap { $0.framesReceived ?? [] }
        #expect(Set(heard).isSubset(of: ["DM@", "DMF", "DMP"]), "\(heard)")

        let received = receiver.receivedObservations()
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        let got = received.map { o -> String in
            let original = (o["extension"] as? [[String: Any]])?.first {
                ($0["url"] as? String)?.hasSuffix("/StructureDefinition/original-quantity") == true
            }?["valueQuantity"] as? [String: Any]
            return "\(o["effectiveDateTime"] as? String ?? "?")|\((original?["value"] as? NSNumber)?.stringValue ?? "?")"
        }.sorted()
        let want = run.expected.records.map { "\($0.time)+08:00|\($0.value)" }.sorted()
        #expect(got == want)
        #expect(Set(received.compactMap { ($0["identifier"] as? [[String: Any]])?.first?["value"] as? String }).count == 15,
                "the twins must stay two readings")
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["PROFILE"] } == ["lifescan-onetouch-ultra2", "lifescan-onetouch-ultra2"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["15", "0"], "\(sessions)")
        #expect(stderr.contains("lifescan-onetouch-ultra2 (answered: serial GMF600DCY)"), "\(stderr)")
        #expect(try gateway.stats().readings == 15)
    }

    /// Risk: an original OneTouch Ultra (record lines without meal and comment, as a public
    /// trace of a real one shows) plugged in and nothing uploaded: the Ultra 2 profile claims
    /// it, reads every record once, and the replug adds nothing.
    @Test func anOriginalOneTouchUltraIsReadByTheUltra2Profile() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 12)
        options.family = "ultra2"
        options.ultraOriginal = true
        options.phaseTimeout = 90
        options.timeout = 200
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent DMZ or DMT")
        let received = receiver.receivedObservations()
        #expect(received.count == 12, "\(stderr)")
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        let times = received.compactMap { $0["effectiveDateTime"] as? String }.sorted()
        #expect(times == run.expected.records.map { "\($0.time)+08:00" }.sorted())
        #expect(!stderr.contains("PG-SES-008"), "a record line was not decoded: \(stderr)")
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["NEW"] } == ["12", "0"], "\(sessions)")
    }

    /// Risk: a cable pulled mid-dump loses the lines already read (each carries its own
    /// checksum, so each is stored as it arrives), or the replug stores them twice.
    @Test func unplugMidDumpKeepsWhatWasReadAndTheReplugCompletesIt() async throws {
        // Each line carries its own checksum, so each is stored as it arrives.
        try await UnplugMidDump.check(family: "ultra2") { $0 >= 5 }
    }
}
