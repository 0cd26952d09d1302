import Foundation
import Testing
import TestSupport

/// `pocgate status` and `pocgate devices` while the real daemon serves a BLE meter on the
/// mocked BlueZ: the meter's session shows as a tty's does.
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"), .serialized)
struct BLEStatusEndToEndTests {
    /// Runs `pocgate` with `arguments` and BlueZ on `bus`; stdout and stderr together.
    static func pocgate(_ arguments: [String], bus: BLEBus) throws -> (status: Int32, text: String) {
        let binary = try #require(BuiltProducts.executable(named: "pocgate"))
        return try KillLoopTests.output("/usr/bin/env", ["DBUS_SYSTEM_BUS_ADDRESS=\(bus.address)", binary.path] + arguments)
    }

    /// Risk: a BLE meter the daemon serves invisible to `pocgate status` (or to the running
    /// daemon's view in `pocgate devices`). Once its readings are stored, status lists it with
    /// its profile, its address and the time of its last reading, in text and JSON.
    @Test func statusShowsARunningBLESessionAsItShowsATTYs() throws {
        let bus = try BLEBus(records: 3)
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let profiles = try BLEBus.foraProfiles()
        let gateway = try GatewayUnderTest(receiver: receiver, profiles: profiles)
        defer { gateway.cleanUp(); try? FileManager.default.removeItem(atPath: profiles) }
        var text = "", json = "", devices = ""
        let stderr = try BLEEndToEndTests.runDaemon(gateway, bus: bus, at: { _ in receiver.receivedObservations().count >= 3 }, step: { _ in
            // The status file is written when something changes: the reading, then the upload.
            let deadline = Date().addingTimeInterval(20)
            repeat {
                json = try Self.pocgate(["status", "--json", "--config", gateway.configPath], bus: bus).text
                if json.contains("lastReadingAt") && json.contains("lastUpload") { break }
                Thread.sleep(forTimeInterval: 0.2)
            } while Date() < deadline
            text = try Self.pocgate(["status", "--config", gateway.configPath], bus: bus).text
            devices = try Self.pocgate(["devices", "--json", "--config", gateway.configPath], bus: bus).text
        }, until: { _ in !devices.isEmpty })
        #expect(receiver.receivedObservations().count == 3, "\(stderr)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
        let listed = try #require(report["devices"] as? [[String: Any]], "\(json)")
        try #require(listed.count == 1, "\(json)")
        #expect(listed[0]["devnode"] as? String == BLEBus.meterPath)
        #expect(listed[0]["profile"] as? String == "fora-ble-test")
        #expect(listed[0]["bluetooth"] as? String == BLEBus.meterAddress && listed[0]["usb"] == nil, "a BLE device is not a USB id")
        #expect(listed[0]["lastReadingAt"] is String && listed[0]["attachedAt"] is String, "\(json)")
        #expect(listed[0]["inSession"] is Bool)

        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Devices:") && $0.hasSuffix("1 connected") }, "\(text)")
        let row = try #require(lines.first { $0.contains(BLEBus.meterPath) }, "\(text)")
        #expect(row.contains("  fora-ble-test  \(BLEBus.meterAddress)  last reading "), "\(row)")

        // `pocgate devices` names the same meter, claimed, beside whatever ttys the host has.
        let meter = try #require(devices.split(separator: "\n").first { $0.contains(#""devnode":"\#(BLEBus.meterPath)""#) }, "\(devices)")
        #expect(meter.contains(#""profile":"fora-ble-test""#) && meter.contains(#""transport":"ble""#), "\(meter)")
        _ = try bus.result()
    }
}
