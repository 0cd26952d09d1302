import BlueZ
import Foundation
import PocGateCore
import Testing
import TestSupport
import Transports

/// The BlueZ client against python-dbusmock's BlueZ on a private bus.
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"))
struct BlueZClientTests {
    static let service = "00001523-1212-efde-1523-785feabcd123"
    static let characteristic = "00001524-1212-efde-1523-785feabcd123"

    @Test func loadsAdaptersAndDevicesFromTheObjectManager() throws {
        let bus = try BLEBus(stranger: true)
        let client = try BlueZClient(address: bus.address)
        defer { client.close() }
        #expect(client.adapters.map(\.path) == ["/org/bluez/hci0"])
        let meter = try #require(client.devices.first { $0.address == BLEBus.meterAddress })
        #expect(meter.path == BLEBus.meterPath)
        #expect(meter.name == BLEBus.meterName)
        #expect(meter.uuids == [Self.service])
        #expect(meter.rssi == -58)
        #expect(!meter.connected && !meter.servicesResolved)
        #expect(client.devices.contains { $0.address == BLEBus.strangerAddress })
    }

    /// BlueZ refuses a filter whose RSSI is not an int16 (`n`) or whose UUIDs are not `as`.
    @Test func discoveryFilterUsesBlueZsStrictTypes() throws {
        let bus = try BLEBus()
        let client = try BlueZClient(address: bus.address)
        try client.setDiscoveryFilter(adapter: "/org/bluez/hci0", uuids: [Self.service], rssi: -85)
        try client.startDiscovery(adapter: "/org/bluez/hci0")
        client.close()
        let calls = try bus.result().calls["/org/bluez/hci0"] ?? []
        #expect(calls.map(\.method) == ["SetDiscoveryFilter", "StartDiscovery"])
        #expect(calls.first?.args == .array([.object([
            "Transport": .string("le"), "UUIDs": .array([.string(Self.service)]),
            "RSSI": .array([.string("Int16"), .number(-85)]),
        ])]))
    }

    /// `Connect()` returning is not ready: the characteristics exist only after ServicesResolved.
    @Test func connectReturnsOnlyWhenServicesAreResolved() throws {
        let bus = try BLEBus()
        let client = try BlueZClient(address: bus.address)
        defer { client.close() }
        try client.connect(device: BLEBus.meterPath, timeoutMillis: 5000)
        let device = try #require(client.device(at: BLEBus.meterPath))
        #expect(device.connected && device.servicesResolved)
        let path = try #require(client.characteristicPath(device: BLEBus.meterPath, service: Self.service,
                                                          characteristic: Self.characteristic))
        #expect(path.hasPrefix(BLEBus.meterPath + "/"))
        #expect(client.characteristicFlags(path).contains("notify"))
    }

    @Test func bluezErrorsBecomeTypedFailures() throws {
        let bus = try BLEBus()
        let client = try BlueZClient(address: bus.address)
        defer { client.close() }
        try client.connect(device: BLEBus.meterPath, timeoutMillis: 5000)
        #expect(throws: BluetoothFailure.self) { try client.disconnect(device: "/org/bluez/hci0/dev_00_00_00_00_00_00") }
        let path = try #require(client.characteristicPath(device: BLEBus.meterPath, service: Self.service,
                                                          characteristic: Self.characteristic))
        try client.disconnect(device: BLEBus.meterPath)
        #expect(throws: BluetoothFailure.notConnected) {
            try client.writeValue(path, [0x51, 0x24, 0, 0, 0, 0, 0xA3, 0x18], withResponse: true)
        }
    }

    @Test func errorNamesMapToWhatATechnicianChecks() {
        #expect(BluetoothFailure.from(errorName: "org.bluez.Error.Failed", message: "Not connected") == .notConnected)
        #expect(BluetoothFailure.from(errorName: "org.bluez.Error.InProgress", message: "In Progress") == .inProgress)
        #expect(BluetoothFailure.from(errorName: "org.bluez.Error.Failed", message: "Operation failed with ATT error: 0x81")
                == .attError(code: 0x81, detail: "Operation failed with ATT error: 0x81"))
        #expect(BluetoothFailure.from(errorName: "org.bluez.Error.NotPermitted", message: "Write not permitted")
                == .notPermitted(detail: "Write not permitted"))
        #expect(BluetoothFailure.from(errorName: "org.freedesktop.DBus.Error.ServiceUnknown", message: "x")
                == .serviceUnavailable(detail: "x"))
        #expect(LinkError.bluetooth(.inProgress).description.contains("busy"))
    }

    @Test func uuidsAreCanonicalLowerCase() {
        #expect(BluetoothUUID.canonical("FFE0") == "0000ffe0-0000-1000-8000-00805f9b34fb")
        #expect(BluetoothUUID.canonical("0x1808") == "00001808-0000-1000-8000-00805f9b34fb")
        #expect(BluetoothUUID.canonical("6E400001-B5A3-F393-E0A9-E50E24DCCA9E") == "6e400001-b5a3-f393-e0a9-e50e24dcca9e")
        #expect(BluetoothUUID.canonical("6e400001-b5a3-f393-e0a9") == nil)
        #expect(BluetoothUUID.canonical("xyz0") == nil)
        #expect(BluetoothUUID.short("0000ffe0-0000-1000-8000-00805f9b34fb") == "ffe0")
    }
}
