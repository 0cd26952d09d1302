import Foundation
import FrameParsing
import Testing
import TestSupport

/// Meters whose own USB side is HID, under umockdev: a hidraw node found by libudev, claimed by
/// a `transport: hid` profile, the family's session over whole 64-byte reports, the store and
/// the HTTPS FHIR receiver. The meters are played by emulators written from the public notes
/// (Tests/Harness/contour_next_meter.py, freestyle_hid_meter.py) through the hidraw harness.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct HIDMeterEndToEndTests {
    static func options(family: String, records: Int) -> UmockdevOptions {
        var options = GatewayUnderTest.options(records: records)
        options.family = family
        options.link = "hid"
        return options
    }

    /// Risk: a HID meter never read, read twice, or sent a report that could change it. The
    /// whole memory reaches the center exactly once; the replug on another port reads the same
    /// memory and sends nothing new; every output report is one the family's allow-list allows.
    @Test(arguments: [("contour-next", "ascensia-contour-next"), ("freestyle-hid", "abbott-freestyle-precision-neo")])
    func theMemoryReachesTheCenterOnceAndTheReplugNothingNew(_ family: String, _ profile: String) async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        let run = try await UmockdevHarness.run(.replug, options: Self.options(family: family, records: 30), command: gateway.command)
        defer { run.removeWorkdir() }
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent a report that changes the meter: \(run.result.violations)")
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["NEW"] } == ["30", "0"], "\(sessions)")
        #expect(sessions.map { $0["DEVICE"] } == ["/dev/hidraw0", "/dev/hidraw1"], "\(sessions)")
        #expect(sessions.map { $0["PROFILE"] } == [profile, profile], "\(sessions)")
        for phase in run.result.phases {
            let hid = try #require(phase.hid, "phase \(phase.name) has no HID record")
            #expect(hid.featuresSet.isEmpty, "\(phase.name): feature reports set: \(hid.featuresSet)")
            for hex in hid.outputReports {
                let report = Self.bytes(hex)
                let allowed = family == "contour-next" ? ContourReport.mayTransmit(report) : FreeStyleHIDCommand.mayTransmit(report)
                #expect(allowed, "\(phase.name): output report \(hex) is not on the allow-list")
            }
        }
        #expect(try gateway.stats().readings == 30)
    }

    /// The cable pulled mid-dump: the Contour session keeps each result it acknowledged; the
    /// FreeStyle list is released only whole, so the cut session keeps none; the replug
    /// completes the rest and the center gets each reading once.
    @Test func unplugMidDumpOfAContourNextKeepsWhatWasAcknowledged() async throws {
        try await UnplugMidDump.check(family: "contour-next", link: "hid", keptInCut: { $0 > 0 })
    }

    @Test func unplugMidListOfAFreeStyleMeterKeepsNothingAndTheReplugReadsAll() async throws {
        try await UnplugMidDump.check(family: "freestyle-hid", link: "hid", keptInCut: { $0 == 0 })
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex, let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex) {
            out.append(UInt8(hex[i..<j], radix: 16) ?? 0)
            i = j
        }
        return out
    }
}
