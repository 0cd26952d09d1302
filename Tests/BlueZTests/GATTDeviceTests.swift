import BlueZ
import Foundation
import Testing
import TestSupport
import Transports

/// `GATTDevice`, the characteristics-by-UUID access of a `ble-gatt` session, against the
/// mocked SIG glucose meter (Tests/Harness/ble_gatt_devices.py).
@Suite(.enabled(if: BLEGATTBus.isAvailable, "needs dbus-daemon and python3-dbusmock"))
struct GATTDeviceTests {
    static func sig(_ short: String) -> String { "0000\(short)-0000-1000-8000-00805f9b34fb" }
    static let gls = sig("1808"), measurement = sig("2a18"), racp = sig("2a52")

    /// Risk: a RACP written before its indications are on (BlueZ: ATT error 0x81), read as
    /// success, so the session waits for records that never come. The error reaches the
    /// session as the ATT code; after subscribing, the same write is answered.
    @Test func aRACPWriteBeforeSubscribingFailsWithTheATTErrorAndSucceedsAfter() throws {
        let bus = try BLEGATTBus(records: 3)
        let client = try BlueZClient(address: bus.address)
        defer { client.close() }
        try client.connect(device: BLEGATTBus.glucosePath, timeoutMillis: 5000)
        let device = GATTDevice(client: client, device: BLEGATTBus.glucosePath, disconnectsOnClose: true)
        defer { device.close() }
        #expect(device.has(service: Self.gls, characteristic: Self.racp))
        #expect(!device.has(service: Self.gls, characteristic: Self.sig("2a35")))
        #expect(throws: LinkError.bluetooth(.attError(code: 0x81, detail: "Operation failed with ATT error: 0x81"))) {
            try device.writeWithResponse(service: Self.gls, characteristic: Self.racp, [0x01, 0x01])
        }
        try device.subscribe(service: Self.gls, characteristic: Self.measurement)
        try device.subscribe(service: Self.gls, characteristic: Self.racp)
        try device.writeWithResponse(service: Self.gls, characteristic: Self.racp, [0x01, 0x01])
        var values: [GATTValue] = []
        while let v = try device.nextValue(timeoutMillis: 3000) {
            values.append(v)
            if v.characteristic == Self.racp { break }
        }
        // Three measurements (no context subscribed: none queued), then the RACP success.
        #expect(values.map(\.characteristic) == [Self.measurement, Self.measurement, Self.measurement, Self.racp])
        #expect(values.last?.bytes == [0x06, 0x00, 0x01, 0x01])
    }

    /// Risk: a session waiting forever on a meter that walked away: after a disconnect the
    /// values already queued are handed out, then `nextValue` ends as an unplug.
    @Test func aDisconnectEndsNextValueAsAnUnplug() throws {
        let bus = try BLEGATTBus(records: 3)
        let client = try BlueZClient(address: bus.address)
        defer { client.close() }
        try client.connect(device: BLEGATTBus.glucosePath, timeoutMillis: 5000)
        let device = GATTDevice(client: client, device: BLEGATTBus.glucosePath)
        defer { device.close() }
        try device.subscribe(service: Self.gls, characteristic: Self.racp)
        try client.disconnect(device: BLEGATTBus.glucosePath)
        #expect(throws: LinkError.unplugged(errno: ENOTCONN)) { _ = try device.nextValue(timeoutMillis: 3000) }
    }
}
