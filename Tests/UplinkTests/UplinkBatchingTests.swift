import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// Batching by size and age, gzip bodies, provenance in the Observation, and the signed chain.
@Suite("Uplink: batching, gzip, provenance and signatures")
struct UplinkBatchingTests {
    func settings(_ receiver: HTTPSReceiver, batchSize: Int = 50, maxWait: Int64 = 2_000, gzip: Bool = true) -> UplinkSettings {
        UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchSize: batchSize, batchMaxWaitMillis: maxWait, gzip: gzip)
    }

    @Test func aBatchWaitsUntilFullOrOldEnough() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings(receiver, batchSize: 3),
                                logger: LogCapture().logger())
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        _ = try fixture.store.insert(glucose(key: "b"), sessionID: nil, receivedAtMillis: testNow + 500)
        // Two of three: wait until the oldest is 2 s old.
        #expect(uplink.drainOnce(nowMillis: testNow + 600) == .waiting(untilMillis: testNow + 2_000))
        #expect(receiver.requestCount() == 0)
        // The third fills the batch: it goes at once.
        _ = try fixture.store.insert(glucose(key: "c"), sessionID: nil, receivedAtMillis: testNow + 700)
        #expect(uplink.drainOnce(nowMillis: testNow + 700) == .delivered(count: 3))
        // A lone reading goes once it is old enough.
        _ = try fixture.store.insert(glucose(key: "d"), sessionID: nil, receivedAtMillis: testNow + 1_000)
        #expect(uplink.drainOnce(nowMillis: testNow + 2_999) == .waiting(untilMillis: testNow + 3_000))
        #expect(uplink.drainOnce(nowMillis: testNow + 3_000) == .delivered(count: 1))
        #expect(receiver.requests().map(\.entries) == [4, 2])
        // A session that ended flushes: what it stored goes without waiting.
        _ = try fixture.store.insert(glucose(key: "e"), sessionID: nil, receivedAtMillis: testNow + 4_000)
        _ = try fixture.store.insert(glucose(key: "f"), sessionID: nil, receivedAtMillis: testNow + 4_001)
        #expect(uplink.drainOnce(nowMillis: testNow + 4_002) == .waiting(untilMillis: testNow + 6_000))
        uplink.flush(upToMillis: testNow + 4_001)
        #expect(uplink.drainOnce(nowMillis: testNow + 4_002) == .delivered(count: 2))
    }

    @Test func theWorkerSendsAPartialBatchAfterTheMaximumWaitWithoutSpinning() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings(receiver, maxWait: 400),
                                logger: LogCapture().logger())
        uplink.start()
        defer { uplink.stop() }
        let inserted = Date()
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: Uplink.wallClockMillis())
        uplink.wake()
        let deadline = Date().addingTimeInterval(20)
        while try fixture.store.stats().pending > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let waited = Date().timeIntervalSince(inserted)
        #expect(try fixture.store.stats().delivered == 1)
        #expect(waited >= 0.35, "sent after \(waited) s, before the 400 ms wait")
        #expect(receiver.requestCount() == 1)
    }

    @Test func bodiesAreGzippedSignedAndChained() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings(receiver, batchSize: 2, maxWait: 0),
                                logger: LogCapture().logger())
        for i in 1...4 { _ = try fixture.store.insert(glucose(key: "k\(i)"), sessionID: nil, receivedAtMillis: testNow) }
        #expect(uplink.drainOnce(nowMillis: testNow) == .delivered(count: 2))
        #expect(uplink.drainOnce(nowMillis: testNow) == .delivered(count: 2))
        let requests = receiver.requests()
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.status == 200 && $0.headers["content-encoding"] == "gzip" })
        #expect(requests.map { $0.headers["x-pocgate-sequence"] } == ["1", "2"])
        #expect(requests.allSatisfy { $0.headers["x-pocgate-gateway"] == "gw-test" })
        #expect(requests[0].headers["x-pocgate-previous"] == OutboxBatch.chainStart)
        #expect(requests[1].headers["x-pocgate-previous"] == BatchSigner.sha256Hex(Array(requests[0].body.utf8)))
        for (index, request) in requests.enumerated() {
            let valid = BatchSigner.isValid(signature: request.headers["x-pocgate-signature"] ?? "", publicKey: testKey.privateKey.publicKey,
                                            gatewayID: "gw-test", sequence: Int64(index + 1),
                                            previousSHA256: request.headers["x-pocgate-previous"] ?? "",
                                            bodySHA256: BatchSigner.sha256Hex(Array(request.body.utf8)))
            #expect(valid)
        }
        let log = try String(contentsOfFile: receiver.requestsFile, encoding: .utf8)
        let report = ChainVerifier(publicKey: testKey.privateKey.publicKey)
            .verify(ReceivedBatch.parse(log: log, file: "requests.jsonl").batches)
        #expect(report.isIntact && report.batches == 2 && report.resent == 0)
    }

    @Test func aFailedBatchIsResentIdenticallyAndTheChainShowsOneResend() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 1
        options.failStatus = 502
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings(receiver, maxWait: 0),
                                logger: LogCapture().logger())
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        guard case .deferred(1, .httpStatus(502, _), let next) = uplink.drainOnce(nowMillis: testNow) else {
            Issue.record("expected a deferral")
            return
        }
        // A reading stored meanwhile does not join the batch in flight.
        _ = try fixture.store.insert(glucose(key: "b"), sessionID: nil, receivedAtMillis: testNow)
        #expect(uplink.drainOnce(nowMillis: next) == .delivered(count: 1))
        #expect(uplink.drainOnce(nowMillis: next) == .delivered(count: 1))
        let requests = receiver.requests()
        #expect(requests.map { $0.headers["x-pocgate-sequence"] } == ["1", "1", "2"])
        #expect(requests[0].body == requests[1].body && requests[0].headers == requests[1].headers)
        let log = try String(contentsOfFile: receiver.requestsFile, encoding: .utf8)
        let report = ChainVerifier(publicKey: testKey.privateKey.publicKey)
            .verify(ReceivedBatch.parse(log: log, file: "requests.jsonl").batches)
        #expect(report.isIntact && report.batches == 2 && report.resent == 1)
    }

    @Test func observationsNameTheGatewayAndTheProfileAndStayValidR4() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let provenance = ReadingProvenance(gatewayID: "gw-clinic-7", profileVersion: 4, profileHash: "0123456789abcdef")
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow, provenance: provenance)
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings(receiver, maxWait: 0),
                                logger: LogCapture().logger())
        #expect(uplink.drainOnce(nowMillis: testNow) == .delivered(count: 1))
        #expect(receiver.requests().first?.status == 200)  // fhir.resources accepted it
        let observation = try #require(receiver.receivedObservations().first)
        #expect((observation["meta"] as? [String: Any])?["source"] as? String == "https://pocgate.invalid/fhir/gateway/gw-clinic-7")
        let ext = (observation["extension"] as? [[String: Any]])?.first
        #expect(ext?["url"] as? String == "https://pocgate.invalid/fhir/StructureDefinition/device-profile")
        #expect(ext?["valueString"] as? String == "taidoc-td4277@4#0123456789abcdef")
    }

    @Test func gzipRoundTripsAndShrinksBundles() throws {
        let text = Array(String(repeating: #"{"resourceType":"Observation","status":"final"},"#, count: 200).utf8)
        let packed = try Gzip.compress(text)
        #expect(packed.count < text.count / 10)
        #expect(Array(packed.prefix(2)) == [0x1f, 0x8b])  // the gzip magic, not a zlib header
        #expect(try Gzip.decompress(packed) == text)
        #expect(try Gzip.decompress(packed + (try Gzip.compress([1, 2, 3]))) == text + [1, 2, 3])
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(packed.dropLast(9))) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(text) }
    }

    @Test func retryAfterAcceptsSecondsAndHTTPDates() {
        #expect(RetryAfter.instant("120", nowMillis: 1_000) == 121_000)
        #expect(RetryAfter.instant("0", nowMillis: 1_000) == 1_000)
        // 2024-06-15T00:31:40Z is 100 s after testNow.
        #expect(RetryAfter.instant("Sat, 15 Jun 2024 00:31:40 GMT", nowMillis: testNow) == testNow + 100_000)
        #expect(RetryAfter.instant("Saturday, 15-Jun-24 00:31:40 GMT", nowMillis: testNow) == testNow + 100_000)
        #expect(RetryAfter.instant("Sat Jun 15 00:31:40 2024", nowMillis: testNow) == testNow + 100_000)
        // A date in the past means now; absurd waits are capped at a day.
        #expect(RetryAfter.instant("Sat, 15 Jun 2024 00:00:00 GMT", nowMillis: testNow) == testNow)
        #expect(RetryAfter.instant("99999999999", nowMillis: 0) == RetryAfter.maximumMillis)
        #expect(RetryAfter.instant("soon", nowMillis: 0) == nil)
        #expect(RetryAfter.instant("-5", nowMillis: 0) == nil)
    }
}
