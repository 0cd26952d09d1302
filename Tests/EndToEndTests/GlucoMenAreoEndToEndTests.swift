import Daemon
import Tools
import Sessions
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// A Menarini GlucoMen areo (emulated from the public protocol: Tests/Harness/glucomen_areo_meter.py)
/// on a generic CP210x cable (10c4:ea60, also claimed by the replay-only sd-codefree profile)
/// under umockdev, read live by the daemon with the shipped profiles.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable && PythonCheck.has("crcmod"),
                             "needs umockdev-wrapper, /usr/bin/python3 and PyPI crcmod"))
struct GlucoMenAreoEndToEndTests {
    /// Risk: a clinic plugs in a GlucoMen areo and nothing is uploaded (the CP210x port left to
    /// the replay-only CodeFree profile), a replug on another port uploads the readings again,
    /// or anything but 0xA2 and 0x80 is sent (0xC2 0xA1 sets the clock).
    @Test func anAreoMemoryIsDeliveredOnceAndTheReplugAddsNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 12)
        options.family = "glucomen-areo"
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)\n\(stderr)")
        #expect(run.result.violations.isEmpty, "the gateway sent a write")
        let heard = run.result.phases.flatMap { $0.framesReceived ?? [] }
        #expect(Set(heard) == ["A2", "80"], "\(heard)")
        #expect(run.result.phases.count == 2 && run.result.phases[0].port.devnode != run.result.phases[1].port.devnode)

        let received = receiver.receivedObservations()
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        let got = received.map { o -> String in
            let original = (o["extension"] as? [[String: Any]])?.first {
                ($0["url"] as? String)?.hasSuffix("/StructureDefinition/original-quantity") == true
            }?["valueQuantity"] as? [String: Any]
            return "\(o["effectiveDateTime"] as? String ?? "?")|\((original?["value"] as? NSNumber)?.stringValue ?? "?")"
        }.sorted()
        #expect(got == run.expected.records.map { "\($0.time)+08:00|\($0.value)" }.sorted())
        let meals = received.filter { o in
            (o["extension"] as? [[String: Any]])?.contains { ($0["url"] as? String)?.hasSuffix("/meal-context") == true } == true
        }
        #expect(meals.count == run.expected.records.filter { $0.flags == 2 || $0.flags == 4 }.count)
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["PROFILE"] } == ["menarini-glucomen-areo", "menarini-glucomen-areo"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["12", "0"], "\(sessions)")
        #expect(try gateway.stats().readings == 12)
    }
}
