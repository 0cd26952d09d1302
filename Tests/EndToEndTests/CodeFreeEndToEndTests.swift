import Daemon
import Tools
import Sessions
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// An SD CodeFree (emulated from the public notes: it opens with a challenge, answers a count,
/// one record per fetch; a fetch past the last disconnects it, any other command is E-5) on
/// its CP210x cable under umockdev, read live by the daemon with the shipped profiles. The
/// meter reports no serial: its readings are filed under the cable's USB serial.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct CodeFreeEndToEndTests {
    /// Every Observation's `effective time|original mg/dL value`, sorted.
    static func got(_ received: [[String: Any]]) -> [String] {
        received.map { o -> String in
            let original = (o["extension"] as? [[String: Any]])?.first {
                ($0["url"] as? String)?.hasSuffix("/StructureDefinition/original-quantity") == true
            }?["valueQuantity"] as? [String: Any]
            return "\(o["effectiveDateTime"] as? String ?? "?")|\((original?["value"] as? NSNumber)?.stringValue ?? "?")"
        }.sorted()
    }

    /// How many fetches (`10 60`) each phase's meter received.
    static func fetches(_ phase: UmockdevResult.Phase) -> Int {
        (phase.framesReceived ?? []).filter { $0 == "1060" }.count
    }

    /// Risk: a clinic plugs in a CodeFree and nothing is uploaded (replay only), a replug
    /// uploads the readings again, or the gateway sends anything but the answer and the fetch
    /// (E-5 until a power cycle) or one fetch too many (the meter disconnects).
    @Test func aCodeFreeDumpIsDeliveredOnceAndTheReplugAddsNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 15)
        options.family = "codefree"
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent a forbidden frame or fetched past the last record")
        let heard = run.result.phases.flatMap { $0.framesReceived ?? [] }
        #expect(Set(heard) == ["1040", "1060"], "\(heard)")
        #expect(run.result.phases.map(Self.fetches) == [15, 15], "one fetch per counted record, never more")

        let received = receiver.receivedObservations()
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        #expect(Self.got(received) == run.expected.records.map { "\($0.time)+08:00|\($0.value)" }.sorted())
        // A listening session (the port reopened after the dump) may be cut by the unplug too.
        let sessions = GatewayUnderTest.sessionLines(stderr).filter { $0["OUTCOME"] == "complete" }
        #expect(sessions.map { $0["PROFILE"] } == ["sd-codefree", "sd-codefree"], "\(sessions)")
        #expect(sessions.map { $0["DEVICE"] } == ["/dev/ttyUSB0", "/dev/ttyUSB1"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["15", "0"], "\(sessions)")
        #expect(try gateway.stats().readings == 15)
        #expect(run.expected.serial == "usb:A1B2C3D4")
        #expect(stderr.contains("usb:A1B2C3D4"), "the readings are filed under the cable's USB serial")
    }

    /// Risk: a cable pulled mid-dump loses what was stored, or the replug stores it twice.
    @Test func unplugMidDumpKeepsWhatWasStoredAndTheReplugCompletesIt() async throws {
        try await UnplugMidDump.check(family: "codefree") { $0 >= 7 }
    }
}
