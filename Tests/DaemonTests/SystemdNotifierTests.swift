import Tools
import Sessions
import Transports
import Daemon
import Foundation
import PocGateCore
import Testing
import TestSupport

@Suite struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func sendsOneDatagramPerNotification(abstract: Bool) throws {
        let receiver = try DatagramReceiver(abstract: abstract)
        let notifier = try #require(try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address]))
        try notifier.notify(["READY=1", "STATUS=1 device: /dev/ttyUSB0"])
        try notifier.notify(["WATCHDOG=1"])
        receiver.wait(timeout: 5) { $0.count >= 2 }
        #expect(receiver.texts == ["READY=1\nSTATUS=1 device: /dev/ttyUSB0", "WATCHDOG=1"])
    }

    @Test func newlinesInsideAValueCannotForgeAnAssignment() throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(path: receiver.address)
        try notifier.notify(["STATUS=bad\nREADY=1"])
        receiver.wait(timeout: 5) { !$0.isEmpty }
        #expect(receiver.texts == ["STATUS=bad READY=1"])
    }

    @Test func noSocketNoNotifier() throws {
        #expect(try SystemdNotifier(environment: [:]) == nil)
        #expect(try SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
        #expect(throws: NotifyError.self) { try SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/path"]) }
    }

    @Test func aMissingListenerIsAnError() throws {
        let notifier = try SystemdNotifier(path: "/nonexistent-pocgate-test/notify")
        #expect { try notifier.notify(["READY=1"]) } throws: { error in
            guard case .sendFailed(_, let code) = error as? NotifyError else { return false }
            return code == ENOENT
        }
    }

    @Test func watchdogIntervalIsHalfOfWatchdogUsecForThisProcessOnly() {
        let pid: Int32 = 4242
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "120000000"], pid: pid) == .seconds(60))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "4242"], pid: pid)
                == .milliseconds(500))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"], pid: pid) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "0"], pid: pid) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "soon"], pid: pid) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: [:], pid: pid) == nil)
    }
}

@Suite struct HeartbeatTests {
    @Test func idleIsNeverOverdueBusyIsAfterItsLimit() {
        let beat = Heartbeat(name: "uplink", limit: .seconds(10))
        let now = ContinuousClock.now
        #expect(beat.overdue(at: now + .seconds(3600)) == nil)
        beat.beat()
        #expect(beat.overdue(at: .now + .seconds(5)) == nil)
        #expect(beat.overdue(at: .now + .seconds(11)) != nil)
        beat.beat()  // progress restarts the clock
        #expect(beat.overdue(at: .now + .seconds(9)) == nil)
        beat.idle()
        #expect(beat.overdue(at: .now + .seconds(3600)) == nil)
    }
}
