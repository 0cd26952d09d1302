import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// Recovery after an outage, on a simulated clock: the uplink is driven the way its worker
/// drives it (drain, then sleep until the next instant it names), with the test's clock
/// instead of the wall clock, against the HTTPS receiver.
@Suite("Uplink: recovery after an outage", .serialized)
struct UplinkRecoveryTests {
    static let base: Int64 = 2_000
    static let outage: Int64 = 600_000

    func settings(port: Int, caFile: String) -> UplinkSettings {
        UplinkSettings(url: "https://127.0.0.1:\(port)/fhir", caFile: caFile, batchMaxWaitMillis: 0, connectTimeoutSeconds: 2,
                       totalTimeoutSeconds: 30, backoffBaseSeconds: Double(Self.base) / 1000, backoffMaxSeconds: 300)
    }

    /// One worker round at `now`: the outcome and the instant the worker would wake next.
    func round(_ uplink: Uplink, _ store: Store, now: Int64) throws -> (DrainOutcome, Int64) {
        let outcome = uplink.drainOnce(nowMillis: now)
        switch outcome {
        case .delivered, .partiallyDelivered, .refused:
            return (outcome, now)
        case .waiting(let until):
            return (outcome, until)
        default:
            let next = [try store.nextDueAtMillis(), uplink.probeDueAtMillis].compactMap { $0 }.min()
            return (outcome, try #require(next))
        }
    }

    /// A 10-minute outage (connections refused) that ends in three 429s with `Retry-After: 1`,
    /// then 2xx. The center comes back at `up`; with `restart` the daemon is restarted then
    /// (a new Uplink over the same store), else the same uplink goes on.
    @Test("after a 10-minute outage and a burst of 429s the first batch goes out within 2 s of the center answering 2xx",
          arguments: [false, true])
    func afterAnOutageTheFirstBatchGoesOutWithinTwoSecondsOfTheCenterAnswering(restart: Bool) throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let certificates = try TestCertificates.generate(in: fixture.directory)
        for key in ["a", "b", "c"] { _ = try fixture.store.insert(glucose(key: key), sessionID: nil, receivedAtMillis: testNow) }
        let port = HTTPSReceiver.closedLoopbackPort()
        let log = LogCapture()
        var uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings(port: port, caFile: certificates.caFile),
                                logger: log.logger())

        // The outage: every connection refused, the back-off grows to minutes.
        let up = testNow + Self.outage
        var now = testNow
        for _ in 0..<5_000 where now < up {
            let (_, next) = try round(uplink, fixture.store, now: now)
            try #require(next > now, "the worker would spin")
            now = next
        }
        try #require(now >= up)
        let pending = try #require(try fixture.store.pendingBatch())
        #expect(pending.attempts >= 8)
        // The back-off grew to minutes (the last failure's wait), so only the probe can bring
        // the batch back within a base interval.
        let lastWait = log.entries.last { $0.metadata["code"] == "PG-UPL-016" }?.metadata["retry_in_ms"].flatMap { Int64($0) }
        #expect((lastWait ?? 0) >= 200_000, "the back-off grew: \(lastWait ?? 0) ms")
        #expect(log.entries.contains { $0.metadata["code"] == "PG-UPL-016" && $0.message.contains("refused or unreachable") })

        // The center comes back, answering 429 three times before it takes uploads.
        var options = HTTPSReceiver.Options()
        options.certificates = certificates
        options.port = port
        options.failFirst = 3
        options.failStatus = 429
        options.retryAfter = "1"
        let receiver = try HTTPSReceiver(options: options)
        if restart {
            uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings(port: port, caFile: certificates.caFile),
                                logger: log.logger())
            now = up
        } else {
            #expect(now - up <= Self.base, "probed \(now - up) ms after the center came back")
        }
        let firstRequest = now
        var answered429: [Int64] = []
        var deliveredAt: Int64?
        for _ in 0..<20 where deliveredAt == nil {
            let (outcome, next) = try round(uplink, fixture.store, now: now)
            switch outcome {
            case .deferred(_, .httpStatus(429, _), let retryAt):
                #expect(retryAt == now + 1_000, "Retry-After: 1 honoured as is")
                answered429.append(now)
            case .delivered(let count):
                #expect(count == 3)
                deliveredAt = now
            default:
                break
            }
            now = next
        }
        let delivered = try #require(deliveredAt)
        #expect(answered429.count == 3)
        #expect(delivered - (answered429.last ?? firstRequest) <= 2_000)
        #expect((answered429.first ?? .max) - up <= Self.base, "the first request came \((answered429.first ?? 0) - up) ms after the center")
        #expect(try fixture.store.stats().delivered == 3)
        #expect(receiver.receivedObservations().count == 3)
    }

    /// The 429s with Retry-After did not count as failures: a failure right after them is
    /// retried after the base delay, not after a back-off grown by them.
    @Test func aRetryAfterAnswerNeitherCountsAsAFailureNorGrowsTheBackOff() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 5
        options.failStatus = 429
        options.retryAfter = "1"
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        let settings = UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0, backoffBaseSeconds: 2,
                                      backoffMaxSeconds: 300)
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: LogCapture().logger())
        var now = testNow
        for _ in 0..<5 {
            guard case .deferred(_, .httpStatus(429, _), let next) = uplink.drainOnce(nowMillis: now) else {
                Issue.record("expected a 429")
                return
            }
            now = next
        }
        #expect(try fixture.store.pendingBatch()?.attempts == 0)
        #expect(uplink.recovery.failures == 0)
        // The center goes away: the first failure waits the base delay (±20 %), not 2^5 times it.
        receiver.stop()
        guard case .deferred(_, _, let next) = uplink.drainOnce(nowMillis: now) else {
            Issue.record("expected a failure")
            return
        }
        #expect(next - now <= 2_400)
    }

    /// A back-off persisted by an earlier run is not waited out after a restart.
    @Test func aRestartDoesNotInheritTheBackOff() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        let closed = HTTPSReceiver.closedLoopbackPort()
        let settings = UplinkSettings(url: "http://127.0.0.1:\(closed)/fhir", batchMaxWaitMillis: 0, backoffBaseSeconds: 2,
                                      backoffMaxSeconds: 300)
        var now = testNow
        var lastAttempt = now
        do {
            let first = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: LogCapture().logger())
            for _ in 0..<8 {
                guard case .deferred(_, _, let next) = first.drainOnce(nowMillis: now) else { break }
                lastAttempt = now
                now = next
            }
        }
        // The daemon restarts a second after its last failed attempt.
        now = lastAttempt + 1_000
        let before = try #require(try fixture.store.pendingBatch())
        #expect(before.nextAttemptAtMillis - now > 100_000)
        let second = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: LogCapture().logger())
        guard case .deferred(_, _, let next) = second.drainOnce(nowMillis: now) else {
            Issue.record("the restarted uplink did not try at once")
            return
        }
        #expect(next - now <= 2_400, "back-off restarted from its base")
        #expect(try fixture.store.pendingBatch()?.attempts == before.attempts + 1, "attempt counts persist")
    }

    /// The worker thread wakes for the probe: with the back-off grown to minutes, a center that
    /// comes back gets the batch long before the back-off ends.
    @Test func theWorkerProbesTheCenterWhileTheBackOffRuns() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: Uplink.wallClockMillis())
        let port = HTTPSReceiver.closedLoopbackPort()
        let settings = UplinkSettings(url: "http://127.0.0.1:\(port)/fhir", batchMaxWaitMillis: 0, connectTimeoutSeconds: 1,
                                      backoffBaseSeconds: 0.05, backoffMaxSeconds: 600)
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: LogCapture().logger())
        // Twelve failures in this run already: the next wait is 0.05 s × 2^12, about 200 s.
        for _ in 0..<12 { _ = uplink.recovery.failed(.transport(.connectFailed(code: 7, detail: "refused")), policy: uplink.retry,
                                                     nowMillis: 0) }
        guard case .deferred(_, _, let next) = uplink.drainOnce(nowMillis: Uplink.wallClockMillis()) else {
            Issue.record("expected a refused connection")
            return
        }
        #expect(next - Uplink.wallClockMillis() > 100_000)
        uplink.start()
        defer { uplink.stop() }
        var options = HTTPSReceiver.Options()
        options.plainHTTP = true
        options.port = port
        let receiver = try HTTPSReceiver(options: options)
        let deadline = Date().addingTimeInterval(60)
        while try fixture.store.stats().delivered == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try fixture.store.stats().delivered == 1, "delivered after the probe, not after the back-off")
        #expect(receiver.receivedObservations().count == 1)
    }
}
