import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// The background worker: wakes on demand, sleeps through backoff, stops promptly.
@Suite("Uplink: background worker")
struct UplinkWorkerTests {
    /// Polls `condition` until it holds or a generous limit passes (no speed assertions).
    func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }

    @Test func deliversWhatIsStoredAfterWake() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0),
                                logger: LogCapture().logger())
        uplink.start()
        uplink.start()  // idempotent
        defer { uplink.stop() }
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        uplink.wake()
        #expect(try eventually { try fixture.store.stats().pending == 0 })
        _ = try fixture.store.insert(glucose(key: "b"), sessionID: nil, receivedAtMillis: testNow)
        uplink.wake()
        #expect(try eventually { try fixture.store.stats().delivered == 2 })
        #expect(receiver.receivedObservations().count == 2)
    }

    @Test func stopReturnsDuringBackoffAndKeepsReadingsQueued() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 1_000
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        let settings = UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0,
                                      backoffBaseSeconds: 3_600, backoffMaxSeconds: 7_200)
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: LogCapture().logger())
        uplink.start()
        #expect(eventually { receiver.requestCount() >= 1 })
        #expect(try eventually { try fixture.store.dueOutbox(limit: 1, nowMillis: .max).first?.attempts == 1 })
        uplink.stop()  // the worker sleeps for an hour; stop must not wait for it
        uplink.stop()  // idempotent
        #expect(receiver.requestCount() == 1)
        #expect(try fixture.store.stats().pending == 1)
        // After stop, direct drains still work.
        guard case .deferred = uplink.drainOnce(nowMillis: .max / 2) else {
            Issue.record("expected a direct drain after stop to reach the server")
            return
        }
    }

    @Test func readingsDueBehindABatchWaitingForItsRetryDoNotMakeTheWorkerSpin() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 1_000
        let receiver = try HTTPSReceiver(options: options)
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(key: "a"), sessionID: nil, receivedAtMillis: testNow)
        let settings = UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0,
                                      backoffBaseSeconds: 3_600, backoffMaxSeconds: 7_200)
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: LogCapture().logger())
        uplink.start()
        defer { uplink.stop() }
        #expect(try eventually { try fixture.store.pendingBatch()?.attempts == 1 })
        // A new reading is due now, but the batch in flight goes first, in an hour.
        _ = try fixture.store.insert(glucose(key: "b"), sessionID: nil, receivedAtMillis: testNow)
        uplink.wake()
        Thread.sleep(forTimeInterval: 0.2)
        let before = uplink.drainCount
        Thread.sleep(forTimeInterval: 1)
        #expect(uplink.drainCount - before <= 1, "the worker ran \(uplink.drainCount - before) drains in a second")
        #expect(receiver.requestCount() == 1)
        #expect(try fixture.store.nextDueAtMillis() == fixture.store.pendingBatch()?.nextAttemptAtMillis)
    }

    @Test func stopAbortsAnUploadInProgress() throws {
        // A server that accepts connections but never answers: the upload hangs until cancelled.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))

        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try fixture.store.insert(glucose(), sessionID: nil, receivedAtMillis: testNow)
        let settings = UplinkSettings(url: "http://127.0.0.1:\(port)/fhir", batchMaxWaitMillis: 0, connectTimeoutSeconds: 600, totalTimeoutSeconds: 600)
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: LogCapture().logger())
        uplink.start()
        Thread.sleep(forTimeInterval: 0.3)
        uplink.stop()
        let queued = try fixture.store.dueOutbox(limit: 1, nowMillis: .max)
        #expect(queued.count == 1)
        #expect(queued.first?.attempts == 0)  // a cancelled upload is not a failed attempt
    }
}
