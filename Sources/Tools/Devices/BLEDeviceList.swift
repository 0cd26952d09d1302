package import BlueZ
package import DeviceProfiles
package import PocGateCore
import Transports

/// The Bluetooth LE devices BlueZ already knows, as `pocgate devices` lists them beside the
/// ttys: one GetManagedObjects on `org.bluez`, nothing else. No discovery is started and
/// nothing is connected; a device shows as BlueZ last saw it (`pocgate ble scan` looks for
/// what is in range now).
///
/// Each device gets the verdict `pocgate ble scan` gives it (`BLEScan.describe`: the daemon's
/// own `ProfileCatalog.match`, on the name as BlueZ states it); the advertised name is then
/// printed only in its `AdvertisedName.printable` form. At most `limit` devices are listed:
/// claimed ones first, then connected, paired, strongest signal; `leftOut` counts the rest.
package struct BLEDeviceList: Sendable {
    /// One device: its port (object path as device node, display-safe name), its verdict and
    /// what BlueZ says of its link.
    package struct Entry: Sendable {
        package var port: PortDescription
        package var verdict: PortVerdict
        package var link: BLELinkState
    }

    /// How many devices are listed at most: a waiting room full of phones with random
    /// addresses must not bury the meters.
    package static let limit = 50

    package var entries: [Entry] = []
    /// Devices BlueZ knows that were not listed (over `limit`).
    package var leftOut = 0
    /// Why BlueZ could not be asked (no system bus, bluetoothd not running); nil when it was.
    package var unavailable: String?

    /// Asks BlueZ on `busAddress` (nil: the system bus, or `DBUS_SYSTEM_BUS_ADDRESS`).
    package static func read(catalog: ProfileCatalog, busAddress: String? = nil, limit: Int = Self.limit) -> BLEDeviceList {
        let devices: [BlueZDevice]
        do throws(BluetoothFailure) {
            let client = try BlueZClient(address: busAddress)
            devices = client.devices
            client.close()
        } catch {
            return BLEDeviceList(unavailable: error.description)
        }
        return listing(devices, catalog: catalog, limit: limit)
    }

    /// The list of `devices` with `catalog`'s verdicts, capped at `limit`.
    package static func listing(_ devices: [BlueZDevice], catalog: ProfileCatalog, limit: Int = Self.limit) -> BLEDeviceList {
        let described = devices.map { device in
            let row = BLEScan.describe(device, catalog: catalog)
            let identity = BluetoothIdentity(address: device.address, name: device.name.map(AdvertisedName.printable),
                                             services: device.uuids)
            return Entry(port: PortDescription(devnode: device.path, syspath: device.path, bluetooth: identity, transport: .ble),
                         verdict: PortVerdict(profile: row.profile, why: row.why),
                         link: BLELinkState(rssi: device.rssi, connected: device.connected, paired: device.paired))
        }
        let ordered = described.sorted { a, b in
            let ka = (a.verdict.profile != nil, a.link.connected, a.link.paired, a.link.rssi ?? Int.min)
            let kb = (b.verdict.profile != nil, b.link.connected, b.link.paired, b.link.rssi ?? Int.min)
            if ka != kb { return Self.before(ka, kb) }
            return a.port.devnode < b.port.devnode
        }
        let kept = max(0, limit)
        return BLEDeviceList(entries: Array(ordered.prefix(kept)), leftOut: max(0, ordered.count - kept))
    }

    private static func before(_ a: (Bool, Bool, Bool, Int), _ b: (Bool, Bool, Bool, Int)) -> Bool {
        if a.0 != b.0 { return a.0 }
        if a.1 != b.1 { return a.1 }
        if a.2 != b.2 { return a.2 }
        return a.3 > b.3
    }

    /// The line saying what was not listed, nil when everything was: devices left out over the
    /// cap, or why BlueZ could not be asked.
    package var note: String? {
        if let unavailable { return "Bluetooth LE devices not listed: \(unavailable)" }
        guard leftOut > 0 else { return nil }
        return "\(leftOut) more Bluetooth LE devices not listed (the list stops at \(entries.count))"
    }
}

/// What BlueZ says of a BLE device's link, for `pocgate devices` (`"ble"` in its JSON).
package struct BLELinkState: Sendable, Equatable, Encodable {
    /// The signal strength of the last advertisement seen, dBm; nil when BlueZ has none.
    package var rssi: Int?
    package var connected: Bool
    package var paired: Bool

    package init(rssi: Int?, connected: Bool, paired: Bool) {
        self.rssi = rssi
        self.connected = connected
        self.paired = paired
    }

    /// `-58 dBm, connected, paired`; `-` when there is nothing to say.
    package var text: String {
        let parts = [rssi.map { "\($0) dBm" }, connected ? "connected" : nil, paired ? "paired" : nil].compactMap { $0 }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }
}
