import Foundation
import TestSupport
import Testing

/// The unplug-mid-dump scenario every live meter family must pass, under umockdev: the meter
/// holds 40 records and sends them one by one (as at its baud rate); the cable is pulled after
/// `cutAfter` of them; the meter is plugged in again on another port. The first session ends
/// `unplugged` keeping what it stored, the second completes with exactly the rest, and the
/// center receives each of the 40 readings once.
enum UnplugMidDump {
    /// Runs the scenario for the emulated `family`; `keptInCut` judges how many readings the
    /// cut session stored (a family that checks a whole dump before storing keeps none).
    /// `link: "cp2110"` puts the meter behind an emulated CP2110 HID bridge (/dev/hidraw0, then
    /// /dev/hidraw1) instead of a USB-serial tty.
    static func check(family: String, link: String? = nil, keptInCut: (Int) -> Bool,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }
        var options = GatewayUnderTest.options(records: 40)
        options.family = family
        options.link = link
        options.cutAfter = 8
        options.settle = 4              // the replug's readings are uploaded before the daemon stops
        options.replyDelayMillis = 40   // one record at a time, as at 9600–38400 baud
        options.phaseTimeout = 90
        options.timeout = 200
        let run = try await UmockdevHarness.run(.unplugMidDump, options: options, command: gateway.command)
        defer { run.removeWorkdir() }
        #expect(run.result.ok, "\(run.diagnostics)", sourceLocation: sourceLocation)
        #expect(run.result.violations.isEmpty, "the gateway sent a write", sourceLocation: sourceLocation)
        let sessions = GatewayUnderTest.sessionLines(run.daemonStderr)
        let (first, second) = link == "cp2110" ? ("/dev/hidraw0", "/dev/hidraw1") : ("/dev/ttyUSB0", "/dev/ttyUSB1")
        let cut = sessions.first { $0["DEVICE"] == first }
        let replugged = sessions.first { $0["DEVICE"] == second }
        let kept = Int(cut?["NEW"] ?? "") ?? -1
        #expect(cut?["OUTCOME"] == "unplugged" && kept >= 0 && kept < 40 && keptInCut(kept), "\(sessions)",
                sourceLocation: sourceLocation)
        #expect(replugged?["OUTCOME"] == "complete" && Int(replugged?["NEW"] ?? "") == 40 - kept, "\(sessions)",
                sourceLocation: sourceLocation)
        let received = receiver.receivedObservations()
        #expect(received.count == 40 && received.allSatisfy { $0["_status"] as? String == "201" },
                "\(received.count) received: \(received.map { $0["_status"] as? String ?? "?" })", sourceLocation: sourceLocation)
        #expect(try gateway.stats().readings == 40, sourceLocation: sourceLocation)
    }
}
