import Foundation
import PocGateCore
import Store
import Testing
import TestSupport

/// The real daemon against a mocked BlueZ with Bluetooth SIG devices (Tests/Harness/
/// ble_gatt_devices.py, written from the SIG specifications): a Glucose Profile meter read
/// through its Record Access Control Point, once in full and then only its new records, and a
/// Blood Pressure Profile monitor's indicated measurement; every write the meter got is a RACP
/// report request, never a delete or abort.
@Suite(.enabled(if: BLEGATTBus.isAvailable, "needs dbus-daemon and python3-dbusmock"), .serialized)
struct BLEGATTEndToEndTests {
    static let racp = "00002a52-0000-1000-8000-00805f9b34fb"

    static func profiles(_ yaml: String, name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-gatt-profiles-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try yaml.write(toFile: "\(dir)/\(name).yaml", atomically: true, encoding: .utf8)
        return dir
    }

    static func glucoseProfile() throws -> String {
        try profiles("""
            id: gatt-glucose-test
            version: 1
            name: SIG glucose meter
            kind: glucose-meter
            protocol: gatt-glucose
            transport: ble-gatt
            match:
              bluetooth:
                - address: "\(BLEGATTBus.glucoseAddress)"
            session:
              reply_timeout_ms: 1500
              retries: 1
              power_off_when_done: false
              poll_interval_s: 1
            """, name: "gls")
    }

    static func runDaemon(_ gateway: GatewayUnderTest, bus: BLEGATTBus, until done: (String) -> Bool) throws -> String {
        try BLEEndToEndTests.runDaemon(gateway, busAddress: bus.address, until: done)
    }

    static func occurrences(_ text: String, _ what: String) -> Int { text.components(separatedBy: what).count - 1 }

    /// The meter's record values as the center must receive them (mmol/L, from the harness's
    /// own record list).
    static func mmol(_ records: [BLEGATTBusResult.Record]) -> [String] {
        records.map { "\(AnalyteConversion.glucose.convert(ExactDecimal($0.mgdl), from: "mg/dL", to: "mmol/L")!)" }.sorted()
    }

    /// Every write reached the RACP only, with response, and was a report request: never
    /// delete (02) or abort (03), nothing on another characteristic.
    static func expectOnlyReportRequests(_ result: BLEGATTBusResult) {
        #expect(result.writes.allSatisfy { $0.characteristic == racp && $0.type == "request" }, "\(result.writes)")
        #expect(result.writes.allSatisfy { ["0101", "0106"].contains($0.bytes) || ($0.bytes.hasPrefix("010301") && $0.bytes.count == 10) },
                "\(result.writes.map(\.bytes))")
    }

    /// Clinical risk: a reconnect re-uploading a meter's whole memory, or losing the new
    /// records. 40 stored records arrive once; after the meter gains two and reconnects, the
    /// gateway asks for sequence number ≥ 41 and uploads exactly those two.
    @Test func glucoseMeterIsReadOnceThenOnlyItsNewRecordsAfterAReconnect() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEGATTBus(records: 40, grow: 2)
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: try Self.glucoseProfile())
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus) { text in
            receiver.receivedObservations().count >= 42 && Self.occurrences(text, "dump complete") >= 2
        }
        let result = try bus.result()
        let received = receiver.receivedObservations()
        #expect(received.count == 42, "\(stderr)")
        #expect(received.allSatisfy { $0["_status"] as? String == "201" }, "something was sent twice")
        #expect(received.compactMap { $0["_value_text"] as? String }.sorted() == Self.mmol(result.records))
        #expect(try gateway.stats().readings == 42)
        #expect(result.transfers.first == Array(1...40), "\(result.transfers)")
        #expect(result.transfers.dropFirst().first == [41, 42], "\(result.transfers)")
        #expect(result.writes.prefix(2).map(\.bytes) == ["0101", "0103012900"], "\(result.writes.map(\.bytes))")
        Self.expectOnlyReportRequests(result)
        // Indications on before the RACP write.
        let racpPath = try #require(result.characteristics[Self.racp])
        let calls = result.methods(at: racpPath)
        #expect(calls.first == "StartNotify" && calls.contains("WriteValue"), "\(calls)")
        #expect(!stderr.contains("PG-SES-007"), "\(stderr)")
    }

    /// Clinical risk: readings left on the meter for good. A meter that numbers its records
    /// from 1 again (a factory reset) has nothing at or after the last stored number + 1; the
    /// session asks for its last record, sees a lower number, and reads all of them: the three
    /// new records are uploaded once each, and the 40 of before are not sent again.
    @Test func aMeterThatNumbersFromOneAgainIsReadWhole() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEGATTBus(records: 40, renumber: 3)
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: try Self.glucoseProfile())
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus) { text in
            receiver.receivedObservations().count >= 43 && text.contains("CODE=PG-SES-013")
                && Self.occurrences(text, "dump complete") >= 2
        }
        let result = try bus.result()
        #expect(stderr.contains("CODE=PG-SES-013"), "\(stderr)")
        #expect(Array(result.writes.map(\.bytes).prefix(4)) == ["0101", "0103012900", "0106", "0101"],
                "\(result.writes.map(\.bytes))")
        #expect(Array(result.transfers.prefix(4)) == [Array(1...40), [], [3], [1, 2, 3]], "\(result.transfers)")
        #expect(try gateway.stats().readings == 43)
        let received = receiver.receivedObservations()
        #expect(received.count == 43, "\(stderr)")
        #expect(received.allSatisfy { $0["_status"] as? String == "201" }, "something was sent twice")
        Self.expectOnlyReportRequests(result)
    }

    /// Clinical risk: a reading lost, or the meter's memory re-sent, when the link drops
    /// mid-transfer. The four records received before the cut are stored and uploaded; the
    /// next connection asks from sequence number 5 and the rest arrive, each once.
    @Test func aDisconnectMidTransferKeepsWhatWasStoredAndTheNextSessionContinuesAfterIt() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEGATTBus(records: 10, cutAfter: 4)
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: try Self.glucoseProfile())
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus) { text in
            receiver.receivedObservations().count >= 10 && text.contains("dump complete")
        }
        let result = try bus.result()
        #expect(stderr.contains("CODE=PG-SES-005"), "\(stderr)")
        #expect(result.transfers.first == Array(1...10))
        #expect(result.writes.map(\.bytes).prefix(2) == ["0101", "0103010500"], "\(result.writes.map(\.bytes))")
        #expect(try gateway.stats().readings == 10)
        let received = receiver.receivedObservations()
        #expect(received.count == 10)
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        Self.expectOnlyReportRequests(result)
    }

    /// Clinical risk: a blood-pressure measurement uploaded twice, as something else, or its
    /// monitor's own disconnect reported as a failure. The one indicated measurement arrives
    /// once as the 85354-9 panel and the 8867-4 pulse; nothing is ever written to the monitor.
    @Test func bloodPressureMonitorsIndicatedMeasurementIsUploadedOnceAsPanelAndPulse() throws {
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let bus = try BLEGATTBus(bloodPressure: true)
        let profiles = try Self.profiles("""
            id: gatt-bp-test
            version: 1
            name: SIG blood-pressure monitor
            kind: blood-pressure-monitor
            protocol: gatt-blood-pressure
            transport: ble-gatt
            match:
              bluetooth:
                - address: "\(BLEGATTBus.bloodPressureAddress)"
            session:
              quiet_time_s: 5
              poll_interval_s: 1
            """, name: "bps")
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp() }
        let stderr = try Self.runDaemon(gateway, bus: bus) { text in
            receiver.receivedObservations().count >= 2 && text.contains("dump complete")
        }
        let result = try bus.result()
        let received = receiver.receivedObservations()
        #expect(received.count == 2, "\(stderr)")
        #expect(received.allSatisfy { $0["_status"] as? String == "201" })
        let lines = TaiDocFamilyEndToEndTests.lines(received).sorted()
        #expect(lines == ["2024-06-20T07:45:30+08:00|85354-9|8480-6=128,8462-4=82,8478-0=97",
                          "2024-06-20T07:45:30+08:00|8867-4|66|/min"], "\(lines)")
        #expect(result.indicated == 1)
        #expect(result.writes.isEmpty, "\(result.writes)")
        #expect(!stderr.contains("CODE=PG-SES-005") && !stderr.contains("CODE=PG-SES-007"), "\(stderr)")
    }
}
