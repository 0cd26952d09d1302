@testable import Daemon
import Foundation
import Store
import Synchronization
import Testing
import Uplink

/// When the heartbeat goes and the metrics file is rewritten (`FleetReporter`), with the
/// time injected: no wall-clock waits.
@Suite("Heartbeat and metrics schedule")
struct FleetReporterTests {
    /// A report whose meters and ended sessions the test sets.
    final class FakeStore: Sendable {
        let state = Mutex<(devices: [String], ended: Int, reads: Int)>(([], 0, 0))

        func report() -> FleetReport {
            state.withLock { s in
                s.reads += 1
                return FleetReport(pending: 0, oldestPendingReceivedAtMillis: nil, lastDeliveredAtMillis: nil, held: 0, deadLetters: 0,
                                   usedBytes: 4096, limitBytes: nil, endedSessions: s.ended,
                                   devices: s.devices.map {
                                       FleetDevice(serial: $0, model: "", profileID: "p", lastSessionStartedAtMillis: 0,
                                                   lastSessionOutcome: nil, lastReadingReceivedAtMillis: nil, clockOffsetSeconds: nil)
                                   }, readingCounts: [], sessionOutcomes: [:])
            }
        }
    }

    /// Records each heartbeat's instant; answers `succeed`.
    final class FakeCenter: Sendable {
        let sent = Mutex<[Int64]>([])
        let succeed = Mutex(true)
        var times: [Int64] { sent.withLock { $0 } }
    }

    static func reporter(_ store: FakeStore, _ center: FakeCenter?, metrics: MetricsFile? = nil,
                         interval: Int = 900) -> FleetReporter {
        let send: (@Sendable (FleetReport, Int64) -> Bool)? = center.map { center in
            { @Sendable (_: FleetReport, now: Int64) -> Bool in
                center.sent.withLock { $0.append(now) }
                return center.succeed.withLock { $0 }
            }
        }
        return FleetReporter(read: { () throws(StoreError) -> FleetReport in store.report() }, send: send, metricsFile: metrics,
                             format: .prometheus,
                             facts: GatewayFacts(gatewayID: "gw", version: "t", startedAtMillis: 0, intervalSeconds: interval),
                             logger: LineCapture().logger())
    }

    @Test("a heartbeat at start, then only at the interval: an idle gateway is woken for nothing else")
    func startThenInterval() {
        let store = FakeStore()
        let center = FakeCenter()
        let r = Self.reporter(store, center)
        #expect(r.tick(nowMillis: 1_000_000, changed: false) == 1_900_000)
        #expect(center.times == [1_000_000])
        #expect(r.tick(nowMillis: 1_500_000, changed: false) == 1_900_000, "an early wake sends nothing")
        #expect(r.tick(nowMillis: 1_900_000, changed: false) == 2_800_000)
        #expect(center.times == [1_000_000, 1_900_000])
    }

    @Test("a new meter or an ended session waits for the interval: either sends a heartbeat at once, at most one a minute")
    func changeSendsEarly() {
        let store = FakeStore()
        let center = FakeCenter()
        let r = Self.reporter(store, center)
        _ = r.tick(nowMillis: 1_000_000, changed: false)
        // A reading stored changes nothing the center must hear of before the interval.
        #expect(r.tick(nowMillis: 1_020_000, changed: true) == 1_900_000)
        store.state.withLock { $0.devices = ["METER-A"] }
        // Seen 30 s after the last heartbeat: sent once a minute has passed, not before.
        #expect(r.tick(nowMillis: 1_030_000, changed: true) == 1_060_000)
        #expect(center.times == [1_000_000])
        #expect(r.tick(nowMillis: 1_060_000, changed: false) == 1_960_000)
        #expect(center.times == [1_000_000, 1_060_000])
        store.state.withLock { $0.ended = 1 }
        #expect(r.tick(nowMillis: 1_200_000, changed: true) == 2_100_000)
        #expect(center.times == [1_000_000, 1_060_000, 1_200_000])
    }

    @Test("a failing center pulls the heartbeat into a retry loop: a failed heartbeat is tried again at the next interval only")
    func failureWaitsForTheInterval() {
        let store = FakeStore()
        let center = FakeCenter()
        center.succeed.withLock { $0 = false }
        let r = Self.reporter(store, center)
        #expect(r.tick(nowMillis: 1_000_000, changed: false) == 1_900_000)
        #expect(r.tick(nowMillis: 1_001_000, changed: false) == 1_900_000)
        #expect(center.times == [1_000_000])
        #expect(r.uploads.snapshot.heartbeats == ["failed": 1])
    }

    @Test("a gateway clock set back stalls the heartbeat for the jump: a due instant beyond one interval is sent at once")
    func clockSetBack() {
        let store = FakeStore()
        let center = FakeCenter()
        let r = Self.reporter(store, center)
        _ = r.tick(nowMillis: 10_000_000, changed: false)
        #expect(r.tick(nowMillis: 1_000_000, changed: false) == 1_900_000)
        #expect(center.times == [10_000_000, 1_000_000])
    }

    @Test("the store read on every change: without a heartbeat, changes rewrite the metrics at most every 10 s, and idle never wakes")
    func metricsThrottledAndIdleSilent() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-fleet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FakeStore()
        let r = Self.reporter(store, nil, metrics: MetricsFile(path: directory + "/pocgate.prom"))
        #expect(r.tick(nowMillis: 1_000_000, changed: false) == nil)
        #expect(store.state.withLock { $0.reads } == 1 && FileManager.default.fileExists(atPath: directory + "/pocgate.prom"))
        #expect(r.tick(nowMillis: 1_002_000, changed: true) == 1_010_000)
        #expect(r.tick(nowMillis: 1_003_000, changed: true) == 1_010_000)
        #expect(store.state.withLock { $0.reads } == 1)
        #expect(r.tick(nowMillis: 1_010_000, changed: false) == nil, "written, nothing pending: no wake-up")
        #expect(store.state.withLock { $0.reads } == 2)
    }
}
