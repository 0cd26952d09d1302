import Foundation
import Testing
import TestSupport

/// An Omron HEM-790IT-class blood-pressure monitor on its own USB HID interface (0590:0028,
/// interface 0) under umockdev: a hidraw node found by libudev, claimed by the
/// `omron-hem-790it` profile (`transport: hid`), the Omron session over whole reports, the
/// store and the HTTPS FHIR receiver. The monitor is emulated from the public notes
/// (Tests/Harness/omron_bp_monitor.py); it answers in 8-byte reports, one per read.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct OmronEndToEndTests {
    static func options(records: Int) -> UmockdevOptions {
        var options = GatewayUnderTest.options(records: records)
        options.family = "omron"
        options.link = "hid"
        return options
    }

    /// What the center must receive for the emulated memory (from the harness's record list):
    /// a panel per measurement, a heart rate when the pulse is not 0.
    static func wanted(_ expected: ExpectedMeter) -> [String] {
        expected.records.flatMap { r -> [String] in
            let time = "\(r.time)+08:00"
            let panel = "\(time)|85354-9|8480-6=\(r.value),8462-4=\(r.diastolic ?? -1)"
            guard let pulse = r.pulse, pulse > 0 else { return [panel] }
            return [panel, "\(time)|8867-4|\(pulse)|/min"]
        }.sorted()
    }

    /// The output reports a whole read may carry (hex, report id 0 first): the wake-up block,
    /// GDC and GME for banks 0 and 1, END. Written from the notes, not from the codec.
    static func isReadReport(_ hex: String) -> Bool {
        guard hex.count == 18, hex.hasPrefix("00") else { return false }
        let body = String(hex.dropFirst(2))
        if body == "0700000000000000" || body == "0200000000000000" || body == "0545" + "4e44ffff0000" { return true }
        if body.hasPrefix("07474443000") || body.hasPrefix("07474d45000") { return true }   // GDC / GME, bank 0 or 1
        return body.hasPrefix("01") && body.hasSuffix("000000000000")                      // the check byte
    }

    /// Risk: a HID blood-pressure monitor never read, read twice, or sent anything but its
    /// documented reads. The whole memory (both user banks) reaches the center exactly once;
    /// the replug on another port (/dev/hidraw1) sends nothing new.
    @Test func aMonitorsWholeMemoryIsDeliveredOnceAndTheReplugAddsNothing() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        let run = try await UmockdevHarness.run(.replug, options: Self.options(records: 9), command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent a report outside the reads: \(run.result.violations)")
        let received = receiver.receivedObservations()
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        #expect(TaiDocFamilyEndToEndTests.lines(received).sorted() == Self.wanted(run.expected))
        let sessions = GatewayUnderTest.sessionLines(stderr).filter { $0["OUTCOME"] == "complete" }
        #expect(sessions.map { $0["PROFILE"] } == ["omron-hem-790it", "omron-hem-790it"], "\(sessions)")
        #expect(sessions.map { $0["DEVICE"] } == ["/dev/hidraw0", "/dev/hidraw1"], "\(sessions)")
        #expect(sessions.map { $0["NEW"] } == ["9", "0"], "\(sessions)")
        for phase in run.result.phases {
            let hid = try #require(phase.hid, "phase \(phase.name) has no HID record")
            #expect(hid.featuresSet.allSatisfy { $0 == "0074bc" } && !hid.featuresSet.isEmpty, "\(phase.name): \(hid.featuresSet)")
            #expect(hid.outputReports.allSatisfy(Self.isReadReport), "\(phase.name): \(hid.outputReports)")
        }
        #expect(run.expected.serial == "usb:A1B2C3D4")
        // Each user bank is its own device: bank A holds the first 5 emulated records, B the other 4.
        func identifier(_ o: [String: Any]) -> String {
            ((o["identifier"] as? [[String: Any]])?.first?["value"] as? String) ?? ""
        }
        var bankA = run.expected
        bankA.records = Array(run.expected.records.prefix(5))
        var bankB = run.expected
        bankB.records = Array(run.expected.records.dropFirst(5))
        let fromA = received.filter { identifier($0).hasPrefix("usb:A1B2C3D4-A/") }
        let fromB = received.filter { identifier($0).hasPrefix("usb:A1B2C3D4-B/") }
        #expect(fromA.count + fromB.count == received.count, "\(received.map(identifier))")
        #expect(TaiDocFamilyEndToEndTests.lines(fromA).sorted() == Self.wanted(bankA))
        #expect(TaiDocFamilyEndToEndTests.lines(fromB).sorted() == Self.wanted(bankB))
    }

    /// Risk: the monitor unplugged mid-dump loses what was stored, or the replug stores it
    /// twice. The cut session ends `unplugged` keeping its readings; the replug stores the rest.
    @Test func unplugMidDumpKeepsWhatWasStoredAndTheReplugCompletesIt() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = Self.options(records: 20)
        options.cutAfter = 6
        options.settle = 4
        options.replyDelayMillis = 40
        options.phaseTimeout = 90
        options.timeout = 200
        let run = try await UmockdevHarness.run(.unplugMidDump, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "\(run.result.violations)")
        let sessions = GatewayUnderTest.sessionLines(run.daemonStderr)
        let cut = sessions.first { $0["DEVICE"] == "/dev/hidraw0" }
        let replugged = sessions.first { $0["DEVICE"] == "/dev/hidraw1" }
        let kept = Int(cut?["NEW"] ?? "") ?? -1
        #expect(cut?["OUTCOME"] == "unplugged" && kept > 0 && kept < 20, "\(sessions)")
        #expect(replugged?["OUTCOME"] == "complete" && Int(replugged?["NEW"] ?? "") == 20 - kept, "\(sessions)")
        let received = receiver.receivedObservations()
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        #expect(TaiDocFamilyEndToEndTests.lines(received).sorted() == Self.wanted(run.expected))
    }
}
