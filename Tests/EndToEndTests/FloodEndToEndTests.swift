import Daemon
import Foundation
import Store
import Testing
import TestSupport

/// An HL7 v2 health kiosk (it speaks unsolicited: MLLP blocks whenever it has results) on an
/// FTDI bridge under umockdev, the real `pocgate run`, the local HTTPS receiver; the kiosk's
/// line is flooded as fast as the PTY takes it (`Tests/Harness/flood_port.py`), as an hour of
/// a babbling cable or a kiosk stuck resending would, compressed.
///
/// Byte totals (sized so the suite stays within the CI budget of a debug build on a loaded
/// 2-core machine): the garbage flood writes `garbageMiB` MiB (256 KiB blocks of random bytes,
/// each followed by four near-miss MLLP blocks, every 16th also by a 1.5 MiB block with no end
/// byte); a debug build skips it at about 50 MiB/s. The valid flood writes `validMiB` MiB of
/// the same 20-message transfer (382-byte messages) again and again: every message is parsed,
/// looked up in the store and acknowledged, 950 to 1,300 a second (0.35 to 0.5 MB/s) in a
/// debug build on that machine, so 12 MiB (some 33,000 messages) is what fits: the traffic of
/// 18 minutes of a kiosk at 115200 baud that never pauses. The garbage flood is 13 hours of
/// that line. Each run then sends the 20 messages once more and waits until the store has
/// them delivered.
///
/// RSS is `VmRSS` of the daemon, sampled twice a second while the flood runs: the largest
/// sample of the last half may exceed the largest of the first quarter by `rssMarginKiB` at
/// most, and no sample may exceed `rssCeilingKiB`.
@Suite(.serialized, .enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and /usr/bin/python3"))
struct FloodEndToEndTests {
    static let garbageMiB = 512
    static let validMiB = 12
    static let messages = 20
    static let rssMarginKiB = 8 * 1024
    static let rssCeilingKiB = 96 * 1024
    static let sprayKiBPerReply = 1024
    /// What the daemon may write to stderr while the flood runs: a few lines, not one per
    /// bad frame (the garbage flood holds tens of thousands).
    static let floodLogCeilingBytes = 16 * 1024

    /// RSS flat over the flood: the samples, split in quarters.
    static func expectFlatRSS(_ result: FloodResult, sourceLocation: SourceLocation = #_sourceLocation) {
        expectFlatRSS(result.floodSamples.compactMap(\.rssKiB), sourceLocation: sourceLocation)
    }

    static func expectFlatRSS(_ rss: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(rss.count >= 8, "too few RSS samples over the flood: \(rss)", sourceLocation: sourceLocation)
        guard rss.count >= 8 else { return }
        let firstQuarter = rss.prefix(rss.count / 4).max() ?? 0
        let lastHalf = rss.suffix(rss.count / 2).max() ?? 0
        #expect(lastHalf <= firstQuarter + rssMarginKiB, "RSS grew: first quarter max \(firstQuarter) KiB, last half max \(lastHalf) KiB (\(rss))",
                sourceLocation: sourceLocation)
        #expect((rss.max() ?? 0) <= rssCeilingKiB, "RSS above \(rssCeilingKiB) KiB: \(rss)", sourceLocation: sourceLocation)
    }

    /// The stderr bytes the daemon wrote while the flood ran.
    static func floodLogBytes(_ result: FloodResult) -> Int {
        let samples = result.floodSamples
        guard let first = samples.first, let last = samples.last else { return Int.max }
        return last.stderrBytes - first.stderrBytes
    }

    /// Every valid message's reading reached the center exactly once, and the store holds
    /// exactly those.
    static func expectExactDelivery(_ receiver: HTTPSReceiver, _ gateway: GatewayUnderTest, _ result: FloodResult,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let received = receiver.receivedObservations()
        let identifiers = received.map { ((($0["identifier"] as? [[String: Any]])?.first)?["value"] as? String) ?? "" }
        #expect(received.count == messages + 1 && Set(identifiers).count == received.count,
                "received \(received.count) observations, \(Set(identifiers).count) distinct", sourceLocation: sourceLocation)
        #expect(received.allSatisfy { $0["_status"] as? String == "201" }, sourceLocation: sourceLocation)
        let stats = try gateway.stats()
        #expect(stats.readings == messages + 1 && stats.pending == 0, "store: \(stats)", sourceLocation: sourceLocation)
        let transfer = result.acksByControlID.filter { $0.key.hasPrefix("HKT") }
        #expect(transfer.count == messages && transfer.values.allSatisfy { $0.allSatisfy { $0 == "AA" } },
                "acknowledgements: \(transfer)", sourceLocation: sourceLocation)
    }

    /// One flood of `kind` (`mib` MiB), then the transfer once more, against a fresh gateway and
    /// receiver, with what every flood must show: the daemon stopped cleanly, the flood's bytes
    /// went through, the transfer arrived exactly once, RSS stayed flat and the log bounded.
    /// `more` looks at the rest while the gateway's store is still there.
    static func flood(_ kind: FloodHarness.Mode, mib: Int, more: (FloodRun, GatewayUnderTest) throws -> Void = { _, _ in },
                      sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }

        let run = try await FloodHarness.run(kind, floodMiB: mib, messages: messages, store: gateway.storePath, command: gateway.command)
        let result = run.result
        #expect(result.ok, "\(run.diagnostics)", sourceLocation: sourceLocation)
        #expect(result.daemon?.exitStatus == 0 && result.daemon?.killed == false,
                "the daemon did not stop cleanly:\n\(run.daemonStderr.suffix(4000))", sourceLocation: sourceLocation)
        #expect((result.floodBytes ?? 0) >= mib << 20, sourceLocation: sourceLocation)
        try expectExactDelivery(receiver, gateway, result, sourceLocation: sourceLocation)
        expectFlatRSS(result, sourceLocation: sourceLocation)
        #expect(floodLogBytes(result) <= floodLogCeilingBytes,
                "the daemon wrote \(floodLogBytes(result)) bytes of log during the flood:\n\(run.daemonStderr.suffix(4000))",
                sourceLocation: sourceLocation)
        try more(run, gateway)
    }

    @Test func aGarbageFloodKeepsRSSFlatLogsBoundedAndTheNextTransferArrivesOnce() async throws {
        try await Self.flood(.garbage, mib: Self.garbageMiB) { run, gateway in
            // The junk that was framed as a message was answered AR and logged: ten lines one by
            // one, then one per power of ten, and once that the rest are counted, not kept.
            let stderr = run.daemonStderr
            #expect((run.result.ackCodes["AR"] ?? 0) > 1000, "acknowledgements: \(run.result.ackCodes)")
            let undecodedLines = stderr.split(separator: "\n").filter { $0.contains("CODE=PG-SES-008") }.count
            #expect((ProblemTally.loggedOneByOne...ProblemTally.loggedOneByOne + 3).contains(undecodedLines), "\(undecodedLines) PG-SES-008 lines")
            #expect(stderr.components(separatedBy: "CODE=PG-SES-014").count == 2, "PG-SES-014 once")
            let keptProblems = try Store(path: gateway.storePath).recordProblems().count
            #expect(keptProblems <= ProblemTally.keptRowsLimit)
            #expect(stderr.contains("UNDECODED_NOT_KEPT="), "the session's end line counts what was not kept")
        }
    }

    @Test func aValidFrameFloodStoresOnlyWhatIsNewAndKeepsRSSFlat() async throws {
        try await Self.flood(.valid, mib: Self.validMiB)
    }

    /// A request/response meter (TaiDoc TD-4277 on a PL2303 cable) whose line carries
    /// `sprayKiBPerReply` KiB of garbage before every reply (random bytes with a near-miss frame
    /// every 512 bytes: start byte, meter direction, wrong sum8), all but the identification
    /// probe's reply: 127 sprayed replies, 133 MB through the PTY during one dump of 60 records
    /// (a debug build skips it at about 20 MiB/s). The probe's reply goes out clean: a probe
    /// gives up after 4 KiB without an answer by design.
    @Test func aMeterLineSprayedWithGarbageStillDeliversEveryRecordOnceWithRSSFlat() async throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let gateway = try GatewayUnderTest(receiver: receiver)
        defer { gateway.cleanUp() }

        var options = GatewayUnderTest.options(records: 60)
        options.untilLogLine = "dump complete"
        options.sprayKiBPerReply = Self.sprayKiBPerReply
        let run = try await UmockdevHarness.run(.plug, options: options, command: gateway.command)
        #expect(run.result.ok, "\(run.diagnostics)")
        #expect(run.result.violations.isEmpty)
        #expect(run.result.daemon?.exitStatus == 0 && run.result.daemon?.killed == false)
        MeterToCenterTests.expectExactDelivery(receiver.receivedObservations(), expected: run.expected)
        let sessions = GatewayUnderTest.sessionLines(run.daemonStderr)
        #expect(sessions.map { $0["NEW"] } == ["60"] && sessions.map { $0["RECORDS"] } == ["60/60"], "sessions: \(sessions)")
        #expect(try gateway.stats().readings == 60)
        let sprayed = run.result.spray?.bytes ?? 0
        #expect(sprayed >= 100 << 20, "sprayed \(sprayed) bytes")
        // From the plug to the end of the dump.
        let plugged = run.result.phases.first?.pluggedAt ?? 0
        let samples = (run.result.samples ?? []).filter { $0.t >= plugged }
        Self.expectFlatRSS(samples.compactMap(\.rssKiB))
        let logged = (samples.last?.stderrBytes ?? 0) - (samples.first?.stderrBytes ?? 0)
        #expect(logged <= Self.floodLogCeilingBytes, "\(logged) bytes of log:\n\(run.daemonStderr.suffix(4000))")
    }
}
