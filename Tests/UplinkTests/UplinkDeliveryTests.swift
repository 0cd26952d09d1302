import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// The uplink against a real HTTPS FHIR receiver on 127.0.0.1 (Tests/Harness/fhir_receiver.py).
@Suite("Uplink: delivery to a real HTTPS receiver")
struct UplinkDeliveryTests {
    func uplink(_ store: Store, _ receiver: HTTPSReceiver, log: LogCapture = LogCapture(),
                batchSize: Int = 50) throws -> Uplink {
        try Uplink(store: store, signer: testSigner, settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchSize: batchSize, batchMaxWaitMillis: 0,
                                                          connectTimeoutSeconds: 5, totalTimeoutSeconds: 30),
                   logger: log.logger())
    }

    @Test func deliversExactValuesTimesAndIdentifiers() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        _ = try store.insert(glucose(key: "k1", value: "5.60", flags: [.beforeMeal]), sessionID: nil, receivedAtMillis: testNow)
        _ = try store.insert(glucose(key: "k2", value: "120", unit: "mg/dL"), sessionID: nil, receivedAtMillis: testNow + 1)
        let log = LogCapture()
        let uplink = try uplink(store, receiver, log: log)

        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .delivered(count: 2))
        #expect(try store.stats() == StoreStats(readings: 2, pending: 0, delivered: 2, oldestPendingReceivedAtMillis: nil))
        #expect(uplink.drainOnce(nowMillis: testNow + 20) == .idle)

        let observations = receiver.receivedObservations()
        #expect(observations.map { $0["_status"] as? String } == ["201", "201"])
        #expect(observations.map { $0["_value_text"] as? String } == ["5.60", "6.7"])  // 120 mg/dL sent as mmol/L
        #expect(observations.map { $0["effectiveDateTime"] as? String }
                == ["2024-06-15T08:30:00+08:00", "2024-06-15T08:30:00+08:00"])
        #expect(observations.map { $0["issued"] as? String } == ["2024-06-15T00:30:00.000Z", "2024-06-15T00:30:00.001Z"])
        #expect(observations.map { ($0["identifier"] as? [[String: String]])?.first?["value"] }
                == ["TD4277-0001/k1", "TD4277-0001/k2"])
        let requests = receiver.requests()
        #expect(requests.count == 1)
        // 200 means the receiver's fhir.resources R4B validation accepted the bundle.
        #expect(requests.first?.status == 200)
        #expect(requests.first?.contentType == "application/fhir+json")
        #expect(requests.first?.body.contains(#""value":5.60"#) == true)

        let delivered = log.entries.filter { $0.message == "batch delivered" }
        #expect(delivered.count == 1)
        #expect(delivered.first?.level == .info)
        #expect(delivered.first?.metadata["count"] == "2")
        #expect(delivered.first?.metadata["status"] == "200")
        #expect(delivered.first?.metadata["batch"] != nil)
        #expect(!log.entries.contains { $0.text.contains("resourceType") || $0.text.contains("TD4277-0001") })
    }

    @Test func resendingTheSameReadingCreatesNoDuplicate() throws {
        let receiver = try HTTPSReceiver()
        // Two gateways' stores (or one store rebuilt after a crash) holding the same measurement.
        let first = try StoreFixture()
        let second = try StoreFixture()
        defer { first.remove(); second.remove() }
        for fixture in [first, second] {
            _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        }
        #expect(try uplink(first.store, receiver).drainOnce(nowMillis: testNow) == .delivered(count: 1))
        #expect(try uplink(second.store, receiver).drainOnce(nowMillis: testNow) == .delivered(count: 1))
        let observations = receiver.receivedObservations()
        #expect(observations.map { $0["_status"] as? String } == ["201", "200"])
        let identifiers = observations.map { ($0["identifier"] as? [[String: String]])?.first?["value"] }
        #expect(identifiers == ["TD4277-0001/2024-06-15T08:30:00#1", "TD4277-0001/2024-06-15T08:30:00#1"])
        #expect(try second.store.stats().pending == 0)
    }

    @Test(arguments: [500, 503, 429])
    func serverErrorsKeepReadingsQueuedUntilALaterSuccess(_ status: Int) throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 1
        options.failStatus = status
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        _ = try store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        _ = try store.insert(glucose(key: "b"), sessionID: nil, receivedAtMillis: testNow)
        let log = LogCapture()
        let uplink = try uplink(store, receiver, log: log)

        let outcome = uplink.drainOnce(nowMillis: testNow)
        guard case .deferred(let count, .httpStatus(status, _), let next) = outcome else {
            Issue.record("expected a deferral for HTTP \(status), got \(outcome)")
            return
        }
        #expect(count == 2)
        #expect(next > testNow)  // backoff in the future: base 2 s ± 20 %
        #expect((testNow + 1_600...testNow + 2_400).contains(next))
        #expect(try store.stats().pending == 2)
        #expect(try store.nextAttemptAtMillis() == next)
        #expect(uplink.drainOnce(nowMillis: next - 1) == .idle)
        #expect(log.entries.contains { $0.level == .warning && $0.metadata["retry_in_ms"] != nil
                                       && $0.metadata["error"]?.contains("HTTP \(status)") == true })

        #expect(uplink.drainOnce(nowMillis: next) == .delivered(count: 2))
        #expect(try store.stats().pending == 0)
        #expect(receiver.requestCount() == 2)
        #expect(receiver.receivedObservations().count == 2)
    }

    @Test func attemptsAreCountedAcrossFailures() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 2
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        let uplink = try uplink(fixture.store, receiver)
        guard case .deferred(_, _, let first) = uplink.drainOnce(nowMillis: testNow),
              case .deferred(_, _, let second) = uplink.drainOnce(nowMillis: first) else {
            Issue.record("expected two deferrals")
            return
        }
        #expect(try fixture.store.dueOutbox(limit: 1, nowMillis: second).first?.attempts == 2)
        // The second delay is base · 2¹ = 4 s ± 20 %.
        #expect((first + 3_200...first + 4_800).contains(second))
        #expect(uplink.drainOnce(nowMillis: second) == .delivered(count: 1))
    }

    @Test func connectionRefusedDefersAndLosesNothing() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        let port = HTTPSReceiver.closedLoopbackPort()
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: UplinkSettings(url: "https://127.0.0.1:\(port)/fhir", batchMaxWaitMillis: 0),
                                logger: LogCapture().logger())
        let outcome = uplink.drainOnce(nowMillis: testNow)
        guard case .deferred(1, .transport(.connectFailed(let code, _)), let next) = outcome else {
            Issue.record("expected connectFailed, got \(outcome)")
            return
        }
        #expect(code == 7)  // CURLE_COULDNT_CONNECT
        #expect(next > testNow)
        #expect(try fixture.store.stats() == StoreStats(readings: 1, pending: 1, delivered: 0, oldestPendingReceivedAtMillis: testNow))
        #expect(try fixture.store.dueOutbox(limit: 1, nowMillis: next).first?.attempts == 1)
    }

    @Test func wrongCAIsATLSFailureAndNothingIsDelivered() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        let otherCA = try TestCertificates.generateCA(in: fixture.directory, name: "unrelated-ca").cert
        let log = LogCapture()
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: UplinkSettings(url: receiver.url, caFile: otherCA, batchMaxWaitMillis: 0),
                                logger: log.logger())
        let outcome = uplink.drainOnce(nowMillis: testNow)
        guard case .deferred(1, .transport(let error), _) = outcome else {
            Issue.record("expected a transport failure, got \(outcome)")
            return
        }
        #expect(error.isTLS)
        #expect(error.curlCode == 60)  // CURLE_PEER_FAILED_VERIFICATION
        #expect(error.description.contains("CA file"))
        #expect(try fixture.store.stats().delivered == 0)
        #expect(try fixture.store.stats().pending == 1)
        #expect(receiver.requestCount() == 0)
        #expect(log.entries.contains { $0.level == .error && $0.message.contains("TLS") })
    }

    @Test func plainHTTPWorksOnlyOnLoopback() throws {
        var options = HTTPSReceiver.Options()
        options.plainHTTP = true
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        #expect(receiver.url.hasPrefix("http://127.0.0.1:"))
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: UplinkSettings(url: receiver.url, batchMaxWaitMillis: 0), logger: LogCapture().logger())
        #expect(uplink.drainOnce(nowMillis: testNow) == .delivered(count: 1))

        let remote = UplinkSettings(url: "http://203.0.113.5/fhir")
        #expect(throws: UplinkError.self) { try Uplink(store: fixture.store, signer: testSigner, settings: remote, logger: LogCapture().logger()) }
    }

    @Test func aRefusedEntryBecomesADeadLetterWhileOthersAreDelivered() throws {
        var options = HTTPSReceiver.Options()
        options.rejectIdentifier = "TD4277-0001/bad"
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        for key in ["good1", "bad", "good2"] {
            _ = try fixture.store.insert(glucose(key: key), sessionID: nil, receivedAtMillis: testNow)
        }
        let log = LogCapture()
        let uplink = try uplink(fixture.store, receiver, log: log)
        #expect(uplink.drainOnce(nowMillis: testNow) == .partiallyDelivered(delivered: 2, deferred: 0, deadLettered: 1))
        #expect(log.entries.contains { $0.level == .error && $0.metadata["error"]?.contains("422") == true })
        // The server's diagnostics may echo payload content: stored, never logged.
        #expect(!log.entries.contains { $0.text.contains("on purpose") })
        #expect(try fixture.store.dueOutbox(limit: 10, nowMillis: .max).isEmpty)
        let dead = try fixture.store.deadLetters()
        #expect(dead.map(\.reading.reading.recordKey) == ["bad"])
        #expect(dead.first?.httpStatus == 422)
        #expect(dead.first?.response?.contains("rejected on purpose") == true)
        #expect(uplink.drainOnce(nowMillis: testNow + 1) == .idle)
    }

    @Test func anIncompleteTransactionResponseAcknowledgesNothing() throws {
        var options = HTTPSReceiver.Options()
        options.shortResponse = true
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        _ = try fixture.store.insert(glucose(key: "b"), sessionID: nil, receivedAtMillis: testNow)
        let outcome = try uplink(fixture.store, receiver).drainOnce(nowMillis: testNow)
        guard case .deferred(2, .invalidResponse(let reason), _) = outcome else {
            Issue.record("expected invalidResponse, got \(outcome)")
            return
        }
        #expect(reason.contains("entries"))
        #expect(try fixture.store.stats().pending == 2)
    }

    @Test func batchesRespectTheBatchSize() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        for i in 1...5 {
            let serial = i % 2 == 0 ? "METER-B" : "METER-A"
            _ = try fixture.store.insert(glucose(serial: serial, key: "k\(i)", value: "\(i).\(i)0"), sessionID: nil,
                                         receivedAtMillis: testNow + Int64(i))
        }
        let uplink = try uplink(fixture.store, receiver, batchSize: 2)
        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .delivered(count: 2))
        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .delivered(count: 2))
        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .delivered(count: 1))
        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .idle)
        #expect(receiver.requests().map(\.entries) == [4, 4, 2])  // Device entries plus Observations
        #expect(receiver.receivedObservations().map { $0["_value_text"] as? String } == ["1.10", "2.20", "3.30", "4.40", "5.50"])
    }
}

@Suite("Uplink: the test receiver and the HTTPS client")
struct ReceiverAndClientTests {
    @Test func receiverRejectsBundlesThatAreNotValidR4B() throws {
        let receiver = try HTTPSReceiver()
        let client = try HTTPSClient(caFile: receiver.caFile, connectTimeoutSeconds: 5, totalTimeoutSeconds: 30)
        let invalid = #"{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Observation","code":{"text":"x"}},"request":{"method":"POST","url":"Observation"}}]}"#
        let response = try client.post(url: receiver.url, body: Array(invalid.utf8), headers: ["Content-Type: application/fhir+json"])
        #expect(response.status == 400)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("OperationOutcome") && text.contains("status"))
        // The same handle is reused for the next request.
        let again = try client.post(url: receiver.url, body: Array("{}".utf8), headers: ["Content-Type: text/plain"])
        #expect(again.status == 415)
        #expect(receiver.requestCount() == 2)
    }

    @Test func aConfigurationErrorIsRetriedAndLoggedAsAnError() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 1
        options.failStatus = 403
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        let log = LogCapture()
        let uplink = try Uplink(store: fixture.store, signer: testSigner,
                                settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0),
                                logger: log.logger())
        guard case .deferred(1, .httpStatus(403, let detail), let next) = uplink.drainOnce(nowMillis: testNow) else {
            Issue.record("expected a deferral for HTTP 403")
            return
        }
        #expect(detail == "(transient)")
        #expect(log.entries.contains { $0.level == .error && $0.metadata["error"]?.contains("HTTP 403") == true })
        // The server's diagnostics may echo payload content: they are stored, never logged.
        #expect(!log.entries.contains { $0.text.contains("on purpose") })
        #expect(try fixture.store.deadLetters().isEmpty)
        #expect(uplink.drainOnce(nowMillis: next) == .delivered(count: 1))
    }
}
