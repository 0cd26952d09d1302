import Daemon
import Tools
import Sessions
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// A OneTouch Verio IQ (emulated from the public protocol: glucometerutils, glucometer-protocols,
/// the Tidepool uploader) on its own CP210x port (10c4:85a7) under umockdev, read live by the
/// daemon with the shipped profiles: the dump reaches the HTTPS receiver exactly once, in the
/// clinic's local time and with the meter's mg/dL kept, a control-solution test is stored but
/// never uploaded, and a replug on another port delivers nothing new.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct VerioIQEndToEndTests {
    /// Risk: a clinic plugs in a Verio IQ and nothing is uploaded (no live session), a replug
    /// uploads the same readings again, a control-solution test is uploaded as the patient's
    /// glucose, or the meter is erased or its clock written.
    @Test func aVerioIQDumpIsDeliveredOnceAndTheReplugAddsNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 15)
        options.family = "verio-iq"
        options.controlRecord = 5
        options.phaseTimeout = 90
        options.timeout = 200
        let run = try await UmockdevHarness.run(.replug, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent erase or a clock write")

        let blood = run.expected.records.filter { $0.controlByte != 1 }
        #expect(blood.count == 14)
        let received = receiver.receivedObservations()
        #expect(received.count == blood.count && received.allSatisfy { $0["_status"] as? String == "201" })
        let got = received.map { o -> String in
            let original = (o["extension"] as? [[String: Any]])?.first {
                ($0["url"] as? String)?.hasSuffix("/StructureDefinition/original-quantity") == true
            }?["valueQuantity"] as? [String: Any]
            let coding = ((o["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
            let q = o["valueQuantity"] as? [String: Any]
            return "\(o["effectiveDateTime"] as? String ?? "?")|\(o["_value_text"] as? String ?? "?")|\(q?["code"] as? String ?? "?")"
                + "|\((original?["value"] as? NSNumber)?.stringValue ?? "?")|\(original?["code"] as? String ?? "?")"
                + "|\(coding?["system"] as? String ?? "?")|\(coding?["code"] as? String ?? "?")"
        }.sorted()
        // Sent in mmol/L (the clinic's unit), the meter's own mg/dL kept in original-quantity.
        #expect(got == blood.map { r -> String in
            let mmol = AnalyteConversion.glucose.convert(ExactDecimal(r.value), from: "mg/dL", to: "mmol/L")!
            return "\(r.time)+08:00|\(mmol)|mmol/L|\(r.value)|mg/dL|http://loinc.org|14743-9"
        }.sorted())
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["PROFILE"] } == ["lifescan-onetouch-verio-iq", "lifescan-onetouch-verio-iq"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["15", "0"], "\(sessions)")
        #expect(try gateway.stats().readings == 15)
    }

    /// Risk: a cable pulled mid-dump loses what was read, or the replug stores it twice.
    @Test func unplugMidDumpKeepsWhatWasReadAndTheReplugCompletesIt() async throws {
        try await UnplugMidDump.check(family: "verio-iq") { $0 >= 7 }
    }
}
