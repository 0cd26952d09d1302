import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// A week without the data center: 100,000 readings stored through the insert path while every
/// connection is refused, then the server comes back and everything is delivered, once each,
/// in order per device. The backoff is capped at 50 ms so the test never waits for it.
@Suite("Uplink: a week-long outage", .serialized)
struct UplinkOutageTests {
    static let readings = 100_000
    static let devices = 10
    static let week: Int64 = 7 * 86_400_000

    func reading(_ i: Int) -> (Reading, ReadingProvenance) {
        let minute = i / Self.devices
        let reading = Reading(profileID: "taidoc-td4277", deviceSerial: "METER-\(i % Self.devices)", deviceModel: "TD-4277",
                              recordKey: "r\(minute)", kind: .glucose, code: "41653-7",
                              value: ExactDecimal(parsing: String(40 + i % 361))!, unit: "mg/dL",
                              deviceTime: LocalDateTime(secondsSinceEpoch: 1_717_200_000 + Int64(minute) * 60), flags: [], raw: [0x51])
        return (reading, ReadingProvenance(gatewayID: "gw-outage", profileVersion: 1, profileHash: "00"))
    }

    @Test func aWeekOfflineThenEverythingIsDeliveredInOrderPerDevice() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let port = HTTPSReceiver.closedLoopbackPort()
        let settings = UplinkSettings(url: "http://127.0.0.1:\(port)/fhir", batchSize: 1_000, batchMaxWaitMillis: 0,
                                      connectTimeoutSeconds: 1, totalTimeoutSeconds: 60,
                                      backoffBaseSeconds: 0.01, backoffMaxSeconds: 0.05)
        let log = LogCapture()
        let uplink = try Uplink(store: fixture.store, signer: testSigner, settings: settings, logger: log.logger())
        uplink.start()
        defer { uplink.stop() }

        // The week offline, compressed: received times spread over seven days before now.
        let now = Uplink.wallClockMillis()
        let chunk = 1_000
        for start in stride(from: 0, to: Self.readings, by: chunk) {
            let received = now - Self.week + Self.week * Int64(start) / Int64(Self.readings)
            let outcomes = try fixture.store.insert(contentsOf: (start..<start + chunk).map(reading), sessionID: nil,
                                                    receivedAtMillis: received)
            #expect(outcomes.allSatisfy { $0.isNew })
            uplink.wake()
        }
        let offline = try fixture.store.queueSummary()
        #expect(offline.pending == Self.readings && offline.delivered == 0)
        #expect(now - (offline.oldestPendingReceivedAtMillis ?? now) >= Self.week)
        #expect((offline.pendingBatch?.attempts ?? 0) >= 1)
        #expect(offline.lastError?.contains("cannot connect") == true)

        // The server comes back on the same address.
        var options = HTTPSReceiver.Options()
        options.plainHTTP = true
        options.port = port
        options.validate = false
        options.leanLogs = true
        let receiver = try HTTPSReceiver(options: options)
        let deadline = Date().addingTimeInterval(600)
        while try fixture.store.stats().pending > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        let stats = try fixture.store.stats()
        #expect(stats.pending == 0 && stats.delivered == Self.readings)
        #expect(try fixture.store.deadLetters().isEmpty)

        let received = receiver.receivedObservations()
        #expect(received.count == Self.readings)
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        var lastMinute: [String: Int] = [:]
        var outOfOrder = 0
        for observation in received {
            let identifier = ((observation["identifier"] as? [[String: Any]])?.first?["value"] as? String) ?? ""
            let parts = identifier.split(separator: "/")
            guard parts.count == 2, let minute = Int(parts[1].dropFirst()) else { continue }
            if let last = lastMinute[String(parts[0])], minute <= last { outOfOrder += 1 }
            lastMinute[String(parts[0])] = minute
        }
        #expect(outOfOrder == 0)
        #expect(lastMinute.count == Self.devices)
        // Batches went out one after another, each signed in sequence.
        let sequences = receiver.requests().compactMap { $0.headers["x-pocgate-sequence"].flatMap(Int.init) }
        #expect(sequences.first == 1 && zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 || $1 == $0 + 1 })
    }
}
