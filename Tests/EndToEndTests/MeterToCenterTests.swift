import Tools
import Sessions
import Daemon
import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// A TD-4277 meter behind a PL2303 cable (umockdev: real libudev, a real tty) → `pocgate run`
/// → SQLite → libcurl over HTTPS → a FHIR receiver on 127.0.0.1 that validates every bundle.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct MeterToCenterTests {
    /// Every expected record arrived exactly once, with the exact value and time.
    static func expectExactDelivery(_ received: [[String: Any]], expected: ExpectedMeter) {
        let created = received.filter { $0["_status"] as? String == "201" }
        #expect(created.count == expected.records.count, "created \(created.count) of \(expected.records.count)")
        var byIdentifier: [String: [String: Any]] = [:]
        for o in received {
            let id = ((o["identifier"] as? [[String: Any]])?.first?["value"] as? String) ?? ""
            #expect(byIdentifier[id] == nil, "identifier \(id) received twice")
            byIdentifier[id] = o
        }
        // Sent in mmol/L (the China default); the meter's own mg/dL value travels in the
        // original-quantity extension and must be exactly what the meter stored.
        let got = Set(received.map { o -> String in
            let q = o["valueQuantity"] as? [String: Any]
            let original = (o["extension"] as? [[String: Any]])?.first {
                $0["url"] as? String == "https://pocgate.invalid/fhir/StructureDefinition/original-quantity"
            }?["valueQuantity"] as? [String: Any]
            return "\(o["effectiveDateTime"] as? String ?? "?")|\(o["_value_text"] as? String ?? "?")|\(q?["code"] as? String ?? "?")"
                + "|\((original?["value"] as? NSNumber)?.stringValue ?? "?")|\(original?["code"] as? String ?? "?")"
        })
        let want = Set(expected.records.map { record -> String in
            let mmol = AnalyteConversion.glucose.convert(ExactDecimal(record.value), from: "mg/dL", to: "mmol/L")!
            return "\(record.time)+08:00|\(mmol)|mmol/L|\(record.value)|mg/dL"
        })
        #expect(got == want)
        for o in received {
            let coding = ((o["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
            #expect(coding?["system"] as? String == "http://loinc.org" && coding?["code"] as? String == "14743-9")
            let id = ((o["identifier"] as? [[String: Any]])?.first?["value"] as? String) ?? ""
            #expect(id.hasPrefix(expected.serial + "/"), "identifier \(id) does not name the meter")
        }
    }

    @Test func replugDeliversEveryReadingOnceAndNothingAfterwards() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }

        let run = try await UmockdevHarness.run(.replug, options: GatewayUnderTest.options(records: 60), command: gateway.command)
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty, "the gateway sent a command that changes the meter")
        #expect(run.result.daemon?.exitStatus == 0 && run.result.daemon?.killed == false, "daemon did not stop cleanly:\n\(stderr)")
        #expect(run.expected.records.count == 60)

        let received = receiver.receivedObservations()
        Self.expectExactDelivery(received, expected: run.expected)
        // After the replug the same memory was dumped again and nothing was uploaded: every
        // Observation the receiver ever saw was a first-time create.
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.map { $0["NEW"] } == ["60", "0"], "sessions: \(sessions)")
        #expect(sessions.map { $0["RECORDS"] } == ["60/60", "60/60"])
        #expect(sessions.map { $0["DEVICE"] } == ["/dev/ttyUSB0", "/dev/ttyUSB1"])
        let stats = try gateway.stats()
        #expect(stats.readings == 60 && stats.pending == 0 && stats.delivered == 60)
        // The store is private to the daemon.
        let mode = (try FileManager.default.attributesOfItem(atPath: gateway.storePath)[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o077 == 0, "store mode \(String(mode, radix: 8))")
        #expect(GatewayUnderTest.unmaskedIDs(in: run).isEmpty, "unmasked ID numbers in the logs")
    }

    @Test func unplugMidDumpKeepsWhatWasReadAndTheReplugCompletesIt() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 60)
        options.cutAfter = 20
        let run = try await UmockdevHarness.run(.unplugMidDump, options: options, command: gateway.command)
        let stderr = run.daemonStderr
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty)
        #expect(stderr.contains("device disconnected during the session"))

        let sessions = GatewayUnderTest.sessionLines(stderr)
        #expect(sessions.count == 2, "sessions: \(sessions)")
        // The cut session may log its end after the replugged one completed (it ends on the
        // hang-up, in its own thread): tell them apart by port, not by log order.
        let cut = sessions.first { $0["DEVICE"] == "/dev/ttyUSB0" }
        let replugged = sessions.first { $0["DEVICE"] == "/dev/ttyUSB1" }
        let kept = Int(cut?["NEW"] ?? "") ?? -1
        // Every value the meter served before the cable was pulled is kept (one still on the
        // wire when the tty vanished may be lost there, and comes again with the replug).
        let served = run.result.phases.first?.valuesServed?.count ?? 0
        #expect(kept >= 20 && kept < 60 && (served - 1...served).contains(kept), "first session kept \(kept), meter served \(served)")
        #expect(cut?["OUTCOME"] == "unplugged")
        #expect(replugged?["OUTCOME"] == "complete")
        #expect(Int(replugged?["NEW"] ?? "") == 60 - kept)
        Self.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
        let stats = try gateway.stats()
        #expect(stats.readings == 60 && stats.pending == 0)
        #expect(GatewayUnderTest.unmaskedIDs(in: run).isEmpty, "unmasked ID numbers in the logs")
    }

    /// Clinical risk: a meter whose clock runs 2 h slow would file every glucose value 2 h too
    /// early in the patient's record (a hypo before a meal instead of after). The gateway reads
    /// the meter's clock at connect, and the center receives the corrected times, with the
    /// meter's own time kept in the device-time extension.
    @Test func aMeterTwoHoursSlowIsUploadedWithCorrectedTimes() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 20)
        options.meterClockOffsetSeconds = -7200
        options.untilLogLine = "dump complete"
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        #expect(run.result.ok, "\(run.diagnostics)")
        let received = receiver.receivedObservations()
        #expect(received.count == 20 && received.allSatisfy { $0["_status"] as? String == "201" })
        var deviceTimes: Set<String> = []
        for o in received {
            let effective = o["effectiveDateTime"] as? String ?? ""
            #expect(effective.hasSuffix("+08:00"), "\(effective)")
            let deviceTime = (o["extension"] as? [[String: Any]])?.first {
                $0["url"] as? String == "https://pocgate.invalid/fhir/StructureDefinition/device-time"
            }?["valueString"] as? String ?? ""
            deviceTimes.insert(deviceTime)
            let corrected = try #require(LocalDateTime(iso: String(effective.dropLast(6))))
            let device = try #require(LocalDateTime(iso: deviceTime), "no device-time extension in \(o)")
            // The meter's clock has whole minutes and was read a moment after the plug.
            let shift = corrected.secondsSinceEpoch - device.secondsSinceEpoch
            #expect((7200...7330).contains(shift), "corrected by \(shift) s")
        }
        #expect(deviceTimes == Set(run.expected.records.map(\.time)))
        let stderr = run.daemonStderr
        #expect(stderr.contains("PG-CLK-001"), "\(stderr)")
        #expect(stderr.components(separatedBy: "PG-CLK-001").count == 2, "logged once per session")
    }

    /// Clinical risk: a meter whose clock was reset to 2000-01-01 (battery change) would file
    /// every reading on a meaningless date. They are stored, held back, never reach the center,
    /// and `pocgate queue` shows them with the reason.
    @Test func aMeterResetTo2000IsHeldNotUploadedAndShownInTheQueue() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 10)
        options.meterClock = "2000-01-01T00:30:00"
        options.untilLogLine = "dump complete"
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(receiver.receivedObservations().isEmpty, "held readings reached the center")
        let summary = try Store(path: gateway.storePath).queueSummary()
        #expect(summary.readings == 10 && summary.pending == 0 && summary.heldReadings == ["clock-reset": 10])
        #expect(QueueText.summary(summary, nowMillis: 0).contains("held (implausible meter clock, not uploaded): 10 (clock-reset 10)"))
        let stderr = run.daemonStderr
        #expect(stderr.components(separatedBy: "PG-CLK-002").count == 2, "logged once per session: \(stderr)")
    }

    /// A resident ID number on the reading's path (the store's directory, the center's URL)
    /// shows in the logs only masked, whatever logs it.
    @Test func residentIDsOnTheReadingPathAreMaskedInEveryLog() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver, site: ResidentIDs.sample)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 20)
        options.untilLogLine = "dump complete"
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        #expect(run.result.ok, "\(run.diagnostics)")
        Self.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
        #expect(receiver.requests().allSatisfy { $0.path.hasSuffix("/" + ResidentIDs.sample) })
        let stderr = run.daemonStderr
        #expect(stderr.contains("STORE=\(NSString(string: gateway.storePath).deletingLastPathComponent.replacingOccurrences(of: ResidentIDs.sample, with: ResidentIDs.masked))/pocgate.db"),
                "\(stderr)")
        #expect(stderr.contains("/fhir/\(ResidentIDs.masked)"))
        #expect(GatewayUnderTest.unmaskedIDs(in: run).isEmpty, "unmasked ID numbers in the logs")
    }
}
