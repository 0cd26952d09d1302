import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// A value held as implausible (or flagged by the device) and released by a technician who
/// checked it reaches the center once, through a real HTTPS receiver that validates with
/// fhir.resources R4B, with a note saying it was outside the plausible range and reviewed.
@Suite("Uplink: values released after review")
struct FHIRValueReviewTests {
    @Test func aCheckedHighGlucoseIsUploadedExactlyOnceAndMarkedAsReviewed() throws {
        let receiver = try HTTPSReceiver()
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        var reading = glucose(key: "hi", value: "33.3")
        reading.valueHold = .implausibleValue
        guard case let .inserted(id) = try fixture.store.insert(reading, sessionID: nil, receivedAtMillis: testNow) else {
            Issue.record("not inserted")
            return
        }
        let uplink = try Uplink(store: fixture.store, signer: testSigner,
                                settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile, batchMaxWaitMillis: 0),
                                logger: LogCapture().logger())
        #expect(uplink.drainOnce(nowMillis: testNow + 10) == .idle, "held: nothing is sent before a person checked it")
        #expect(try fixture.store.heldValues().map(\.id) == [id])
        #expect(try fixture.store.releaseValue(readingID: id, reason: .implausibleValue, note: "meter HI, repeated 33.1",
                                               patients: .center, actor: "tech", atMillis: testNow + 20))
        #expect(uplink.drainOnce(nowMillis: testNow + 30) == .delivered(count: 1))
        #expect(uplink.drainOnce(nowMillis: testNow + 40) == .idle, "uploaded exactly once")
        let observations = receiver.receivedObservations()
        #expect(observations.count == 1)
        let notes = (observations.first?["note"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(notes.contains { $0.hasPrefix("implausible-value:") && $0.contains("released after a technician checked it") })
        #expect(!notes.joined().contains("meter HI"), "the technician's words stay in the gateway's audit log")
        #expect(receiver.requests().map(\.status) == [200], "accepted by the receiver's R4B validation")
        #expect(throws: StoreError.self) {
            try fixture.store.releaseValue(readingID: id, reason: .implausibleValue, note: "again", patients: .center,
                                           actor: "tech", atMillis: testNow + 50)
        }
    }
}
