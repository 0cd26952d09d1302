import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// Servers that misbehave on command: each failure gives a clear error, marks nothing
/// delivered, and the readings go on (retried, split, or dead-lettered one by one).
@Suite("Uplink: failures", .serialized)
struct UplinkFailureTests {
    func insert(_ fixture: StoreFixture, _ keys: [String]) throws {
        for key in keys { _ = try fixture.store.insert(glucose(key: key), sessionID: nil, receivedAtMillis: testNow) }
    }

    func uplink(_ fixture: StoreFixture, _ settings: UplinkSettings, log: LogCapture = LogCapture()) throws -> Uplink {
        try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: log.logger())
    }

    /// Drains until nothing is due (at most `limit` rounds), returning every outcome.
    func drainAll(_ uplink: Uplink, limit: Int = 50) -> [DrainOutcome] {
        var outcomes: [DrainOutcome] = []
        for _ in 0..<limit {
            let outcome = uplink.drainOnce(nowMillis: testNow)
            if outcome == .idle { break }
            outcomes.append(outcome)
        }
        return outcomes
    }

    func expectTransportFailure(_ outcome: DrainOutcome, _ fixture: StoreFixture,
                                sourceLocation: SourceLocation = #_sourceLocation) throws -> TransportError? {
        guard case .deferred(_, .transport(let error), let next) = outcome else {
            Issue.record("expected a transport failure, got \(outcome)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(next > testNow, sourceLocation: sourceLocation)
        #expect(try fixture.store.stats().delivered == 0, sourceLocation: sourceLocation)
        #expect(try fixture.store.pendingBatch()?.attempts == 1, sourceLocation: sourceLocation)
        return error
    }

    @Test func aBlackHoleTimesOutConnecting() throws {
        let hole = try LoopbackListener(fillBacklog: true)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let started = Date()
        let outcome = try uplink(fixture, UplinkSettings(url: "http://127.0.0.1:\(hole.port)/fhir", batchMaxWaitMillis: 0,
                                                         connectTimeoutSeconds: 1, totalTimeoutSeconds: 30)).drainOnce(nowMillis: testNow)
        let error = try expectTransportFailure(outcome, fixture)
        guard case .timedOut(28, _)? = error else {
            Issue.record("expected a connect timeout, got \(String(describing: error))")
            return
        }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(error?.description.contains("did not answer in time") == true)
    }

    @Test func aServerThatNeverAnswersHitsTheTotalTimeout() throws {
        let silent = try LoopbackListener(fillBacklog: false)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let started = Date()
        let outcome = try uplink(fixture, UplinkSettings(url: "http://127.0.0.1:\(silent.port)/fhir", batchMaxWaitMillis: 0,
                                                         connectTimeoutSeconds: 1, totalTimeoutSeconds: 2,
                                                         lowSpeedLimitBytesPerSecond: 0)).drainOnce(nowMillis: testNow)
        let error = try expectTransportFailure(outcome, fixture)
        guard case .timedOut(28, _)? = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 1.9 && elapsed < 10, "took \(elapsed) s")
    }

    @Test func aTrickleIsCutByTheLowSpeedLimit() throws {
        let silent = try LoopbackListener(fillBacklog: false)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let started = Date()
        let outcome = try uplink(fixture, UplinkSettings(url: "http://127.0.0.1:\(silent.port)/fhir", batchMaxWaitMillis: 0,
                                                         connectTimeoutSeconds: 1, totalTimeoutSeconds: 60,
                                                         lowSpeedLimitBytesPerSecond: 1_000, lowSpeedTimeSeconds: 1)).drainOnce(nowMillis: testNow)
        let error = try expectTransportFailure(outcome, fixture)
        guard case .timedOut(28, let detail)? = error else {
            Issue.record("expected a low-speed abort, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("too slow"), "\(detail)")
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test(arguments: [(TestCertificates.Flaw.expired, "expired"), (.wrongHost, "127.0.0.1")])
    func aFlawedServerCertificateIsATLSFailure(_ flaw: TestCertificates.Flaw, _ mention: String) throws {
        var options = HTTPSReceiver.Options()
        options.certificateFlaw = flaw
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let log = LogCapture()
        let outcome = try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0),
                                 log: log).drainOnce(nowMillis: testNow)
        let error = try #require(try expectTransportFailure(outcome, fixture))
        #expect(error.isTLS && error.curlCode == 60)
        #expect(error.description.contains(mention), "\(error)")
        #expect(error.description.contains("host name matches") && error.description.contains("date and time"))
        #expect(receiver.requestCount() == 0)
        #expect(log.entries.contains { $0.level == .error && $0.message.contains("TLS") })
    }

    @Test(arguments: [("429", "30", Int64(30_000)), ("503", "Sat, 15 Jun 2024 00:32:00 GMT", Int64(120_000))])
    func retryAfterIsHonoured(_ status: String, _ value: String, _ delay: Int64) throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 1
        options.failStatus = Int(status)!
        options.retryAfter = value
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a", "b"])
        let uplink = try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0))
        let outcome = uplink.drainOnce(nowMillis: testNow)
        #expect(outcome == .deferred(count: 2, failure: .httpStatus(Int(status)!, detail: "(transient)"),
                                     nextAttemptAtMillis: testNow + delay))
        #expect(uplink.drainOnce(nowMillis: testNow + delay - 1) == .idle)
        #expect(uplink.drainOnce(nowMillis: testNow + delay) == .delivered(count: 2))
    }

    @Test func singleRetryAfterOfElevenDaysIsCappedAtOneHourAndLogged() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 1
        options.failStatus = 503
        options.retryAfter = "999999999"
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let log = LogCapture()
        let uplink = try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0), log: log)
        let outcome = uplink.drainOnce(nowMillis: testNow)
        #expect(outcome == .deferred(count: 1, failure: .httpStatus(503, detail: "(transient)"), nextAttemptAtMillis: testNow + 3_600_000))
        #expect(log.entries.contains { $0.metadata["code"] == "PG-UPL-015" && $0.metadata["max_s"] == "3600" })
        #expect(uplink.drainOnce(nowMillis: testNow + 3_600_000) == .delivered(count: 1))
        // A configured maximum is used instead.
        #expect(RetryAfter.wait("999999999", nowMillis: 0, maximumMillis: 600_000)
                == RetryAfter.Wait(instantMillis: 600_000, capped: true, requestedMillis: 999_999_999_000))
        #expect(RetryAfter.wait("99999999999", nowMillis: 0)?.instantMillis == RetryAfter.maximumMillis)
        #expect(RetryAfter.wait("60", nowMillis: 0)?.capped == false)
    }

    @Test func a413SplitsTheBatchInHalvesUntilItFits() throws {
        var options = HTTPSReceiver.Options()
        options.maxEntries = 2
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["k1", "k2", "k3", "k4", "k5"])
        let outcomes = drainAll(try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0)))
        #expect(outcomes == [.refused(count: 5, status: 413, outcome: .split(limit: 3)),
                             .refused(count: 3, status: 413, outcome: .split(limit: 2)),
                             .delivered(count: 2), .delivered(count: 2), .delivered(count: 1)])
        #expect(try fixture.store.stats() == StoreStats(readings: 5, pending: 0, delivered: 5, oldestPendingReceivedAtMillis: nil))
        #expect(Set(receiver.receivedObservations().compactMap { ($0["identifier"] as? [[String: Any]])?.first?["value"] as? String })
                == Set((1...5).map { "TD4277-0001/k\($0)" }))
    }

    @Test func aSingleReadingTooLargeIsADeadLetter() throws {
        var options = HTTPSReceiver.Options()
        options.maxEntries = 0
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a", "b"])
        let outcomes = drainAll(try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0)))
        #expect(outcomes == [.refused(count: 2, status: 413, outcome: .split(limit: 1)),
                             .refused(count: 1, status: 413, outcome: .deadLettered(readingID: 1)),
                             .refused(count: 1, status: 413, outcome: .deadLettered(readingID: 2))])
        let dead = try fixture.store.deadLetters()
        #expect(dead.map(\.httpStatus) == [413, 413])
        #expect(dead.first?.reason.contains("HTTP 413") == true)
        #expect(dead.first?.response?.contains("at most 0 Observations") == true)
    }

    @Test func aTransactionRefusedForOneReadingIsBisectedToThatReading() throws {
        var options = HTTPSReceiver.Options()
        options.rejectWholeIdentifier = "TD4277-0001/k4"
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, (1...6).map { "k\($0)" })
        let outcomes = drainAll(try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0)))
        #expect(outcomes.reduce(0) { $0 + $1.deliveredCount } == 5)
        #expect(outcomes.contains(.refused(count: 1, status: 422, outcome: .deadLettered(readingID: 4))))
        #expect(try fixture.store.deadLetters().map(\.reading.reading.recordKey) == ["k4"])
        #expect(try fixture.store.stats().pending == 0)
        #expect(receiver.receivedObservations().count == 5)
    }

    @Test func a307RedirectToHTTPSIsFollowed() throws {
        var options = HTTPSReceiver.Options()
        options.redirectPath = "/fhir"
        options.redirectLocation = "https://127.0.0.1:{port}/moved"
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let outcome = try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0))
            .drainOnce(nowMillis: testNow)
        #expect(outcome == .delivered(count: 1))
        #expect(receiver.requests().map(\.path) == ["/moved"])
        #expect(receiver.requests().first?.headers["x-pocgate-sequence"] == "1")
    }

    @Test(arguments: [(307, "http://127.0.0.1:{port}/moved", "https:// only"),
                      (302, "https://127.0.0.1:{port}/moved", "only 307/308")])
    func otherRedirectsAreRefusedClearly(_ status: Int, _ location: String, _ mention: String) throws {
        var options = HTTPSReceiver.Options()
        options.redirectPath = "/fhir"
        options.redirectLocation = location
        options.redirectStatus = status
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let log = LogCapture()
        let outcome = try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0), log: log)
            .drainOnce(nowMillis: testNow)
        guard case .redirectRefused(_, let detail)? = try expectTransportFailure(outcome, fixture) else {
            Issue.record("expected a refused redirect, got \(outcome)")
            return
        }
        #expect(detail.contains(mention), "\(detail)")
        #expect(receiver.requestCount() == 0)
        #expect(log.entries.contains { $0.level == .error && $0.message.contains("redirect") })
    }

    @Test func mutualTLSPresentsTheClientCertificate() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let client = try TestCertificates.generateClient(in: fixture.directory)
        var options = HTTPSReceiver.Options()
        options.clientCA = client.caFile
        let receiver = try HTTPSReceiver(options: options)
        try insert(fixture, ["a"])

        // Without a client certificate the server refuses the handshake. Under TLS 1.3 the client
        // learns it on its first read (a TLS alert) or, when the server has already closed, as a
        // failed send: both keep the reading queued.
        let anonymous = try uplink(fixture, UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0))
        let error = try #require(try expectTransportFailure(anonymous.drainOnce(nowMillis: testNow), fixture))
        #expect(error.isTLS || [55, 56].contains(error.curlCode ?? 0), "\(error)")
        #expect(receiver.requestCount() == 0)

        let settings = UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0,
                                      clientCertificate: client.certFile, clientKey: client.keyFile)
        #expect(try uplink(fixture, settings).drainOnce(nowMillis: testNow + 600_000) == .delivered(count: 1))
        #expect(receiver.requestCount() == 1)
    }

    @Test(arguments: [false, true])
    func uploadsGoThroughTheConfiguredProxy(_ tlsToProxy: Bool) throws {
        let receiver = try HTTPSReceiver()
        let proxy = try tlsToProxy ? ConnectProxy(certFile: receiver.certFile, keyFile: receiver.keyFile) : ConnectProxy()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try insert(fixture, ["a"])
        let settings = UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0,
                                      proxy: "\(tlsToProxy ? "https" : "http")://127.0.0.1:\(proxy.port)")
        #expect(try uplink(fixture, settings).drainOnce(nowMillis: testNow) == .delivered(count: 1))
        #expect(proxy.tunnels() == ["127.0.0.1:\(receiver.port)"])
    }

    @Test func clientCertificateSettingsAreChecked() {
        #expect(throws: UplinkError.self) {
            try UplinkSettings(url: "https://c.example/", clientCertificate: "/etc/hostname").validate()
        }
        #expect(throws: UplinkError.self) {
            try UplinkSettings(url: "https://c.example/", clientCertificate: "/nonexistent.pem", clientKey: "/nonexistent.key").validate()
        }
        #expect(throws: UplinkError.self) { try UplinkSettings(url: "https://c.example/", proxy: "socks5://p:1080").validate() }
        #expect(throws: UplinkError.self) { try UplinkSettings(url: "https://c.example/", batchMaxWaitMillis: -1).validate() }
    }
}
