import Daemon
import Tools
import Sessions
import Foundation
import Testing
import TestSupport

/// `pocgate run` under a stand-in for systemd: the notify protocol, the watchdog, reload and
/// stop, the journal's native protocol, and `pocgate status` against the running daemon.
/// No udev needed: discovery starts and simply finds no meter.
@Suite(.serialized) struct SystemdNotifyTests {
    @Test func readyStatusWatchdogReloadStoppingAndTheJournal() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let notify = try DatagramReceiver(abstract: true)
        let journal = try DatagramReceiver()
        let daemon = try DaemonUnderSystemd(uplinkURL: receiver.url + "/" + ResidentIDs.sample,
                                            caFile: receiver.caFile, notify: notify, journal: journal)
        try daemon.start(watchdogUsec: 400_000)

        #expect(daemon.waitForNotification("READY=1"), "no READY=1: \(daemon.notifications)\n\(daemon.stderr)")
        let ready = try #require(daemon.notifications.firstIndex { $0.contains("READY=1") })
        // The status is said before or with READY=1, and says what the gateway serves.
        let statuses = daemon.notifications[...ready].flatMap { $0 }.filter { $0.hasPrefix("STATUS=") }
        #expect(statuses.contains("STATUS=no devices connected; queue empty"), "\(statuses)")
        // Pings every WATCHDOG_USEC / 2 while healthy.
        #expect(notify.wait(timeout: 10) { $0.filter { $0 == Array("WATCHDOG=1".utf8) }.count >= 3 },
                "watchdog pings: \(daemon.notifications)")

        // `pocgate status` sees the running daemon (read-only) and says OK.
        let running = try daemon.status(["--json"])
        #expect(running.code == 0, "\(running.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(running.output.utf8)) as? [String: Any])
        let daemonSection = json["daemon"] as? [String: Any]
        #expect(json["health"] as? String == "ok")
        #expect(daemonSection?["running"] as? Bool == true && daemonSection?["ready"] as? Bool == true)
        #expect(daemonSection?["watchdogSeconds"] as? Double == 0.4)
        #expect((json["queue"] as? [String: Any])?["depth"] as? Int == 0)

        // SIGHUP: RELOADING=1 with the monotonic time, then READY=1 again.
        let beforeReload = daemon.notifications.count
        daemon.send(SIGHUP)
        #expect(daemon.waitForNotification("READY=1", after: beforeReload), "\(daemon.notifications)")
        let reloading = daemon.notifications.dropFirst(beforeReload).first { $0.contains("RELOADING=1") }
        #expect(reloading?.contains { $0.hasPrefix("MONOTONIC_USEC=") } == true, "\(daemon.notifications)")

        // SIGTERM: STOPPING=1, a clean exit, and the status says it stopped.
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.stderr)")
        #expect(daemon.notifications.contains { $0.contains("STOPPING=1") })
        let stopped = try daemon.status()
        #expect(stopped.code == 1 && stopped.output.contains("the daemon is not running (it stopped at"), "\(stopped.output)")

        // Every event went to the journal socket as native fields; the resident ID in the
        // store path and the URL is masked everywhere.
        let entries = journal.datagrams.map(JournalFields.init)
        let runningEntry = try #require(entries.first { $0["MESSAGE"] == "running" }, "\(journal.texts)")
        #expect(runningEntry["SYSLOG_IDENTIFIER"] == "pocgate" && runningEntry["PRIORITY"] == "6")
        #expect(runningEntry["POCGATE_STORE"]?.contains("site-\(ResidentIDs.masked)/") == true)
        #expect(runningEntry["POCGATE_UPLINK"]?.hasSuffix("/fhir/\(ResidentIDs.masked)") == true)
        #expect(runningEntry["POCGATE_LOG"] == "journal" && runningEntry["POCGATE_WATCHDOG_S"] == "0")
        #expect(entries.contains { $0["MESSAGE"] == "stopped" })
        let everything = journal.texts.joined() + daemon.stderr + daemon.notify.texts.joined()
        #expect(ResidentIDs.unmasked(in: everything).isEmpty)
        #expect(daemon.stderr.isEmpty, "with log.target journal nothing goes to stderr: \(daemon.stderr)")
    }

    @Test func withoutAWatchdogNoPingsAndAPathSocketWorks() throws {
        let notify = try DatagramReceiver()
        let daemon = try DaemonUnderSystemd(uplinkURL: "http://127.0.0.1:\(HTTPSReceiver.closedLoopbackPort())/fhir",
                                            caFile: nil, notify: notify)
        try daemon.start()
        #expect(daemon.waitForNotification("READY=1"), "\(daemon.notifications)\n\(daemon.stderr)")
        Thread.sleep(forTimeInterval: 0.5)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        #expect(daemon.notifications.contains { $0.contains("STOPPING=1") })
        #expect(!daemon.notifications.contains { $0.contains("WATCHDOG=1") })
        // stderr lines, masked too.
        #expect(daemon.stderr.contains("<6>running"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains(ResidentIDs.masked))
        #expect(ResidentIDs.unmasked(in: daemon.stderr).isEmpty, "\(daemon.stderr)")
    }

    @Test func aRefusedConfigurationSaysSoInTheStatus() throws {
        let notify = try DatagramReceiver()
        let daemon = try DaemonUnderSystemd(uplinkURL: "ftp://center.example/fhir", caFile: nil, notify: notify)
        try daemon.start()
        #expect(daemon.waitForExit() == 78)
        #expect(notify.wait(timeout: 5) { !$0.isEmpty })
        #expect(notify.texts.contains { $0.hasPrefix("STATUS=Configuration refused: ") }, "\(notify.texts)")
        #expect(!notify.texts.contains { $0.contains("READY=1") })
        #expect(daemon.stderr.contains("CODE=PG-CFG-001"), "\(daemon.stderr)")
    }

    /// Start-to-READY=1, several runs (docs: BENCHMARKS.md, Footprint).
    @Test func startToReadyIsQuick() throws {
        var times: [Double] = []
        for _ in 0..<5 {
            let notify = try DatagramReceiver(abstract: true)
            let daemon = try DaemonUnderSystemd(uplinkURL: "http://127.0.0.1:\(HTTPSReceiver.closedLoopbackPort())/fhir",
                                                caFile: nil, notify: notify)
            try daemon.start()
            #expect(daemon.waitForNotification("READY=1", timeout: 20))
            let elapsed = ContinuousClock.now - daemon.launchedAt!
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            daemon.send(SIGTERM)
            _ = daemon.waitForExit()
        }
        let sorted = times.sorted()
        print("pocgate start-to-READY (s), 5 runs: min \(sorted.first!) median \(sorted[2]) max \(sorted.last!)")
        #expect(sorted[2] < 5, "median start-to-READY \(sorted[2]) s")
    }
}
