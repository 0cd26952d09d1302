public import BlueZ
public import Transports
import Daemon
public import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import PocGateCore
import Sessions

/// `pocgate ble scan`: the Bluetooth LE devices in range (BlueZ's view after a discovery of a
/// few seconds), each with its name, RSSI, advertised services and the profile that would claim
/// it, or why none would. Nothing is connected. Addresses are shown in full: a meter's
/// Bluetooth address is not a resident's identity.
public enum BLEScan {
    /// One device in range.
    public struct Row: Sendable, Equatable, Encodable {
        public var address: String
        /// The advertised name as it may be printed (`AdvertisedName.printable`).
        public var name: String?
        public var rssi: Int?
        /// Advertised service UUIDs, 16-bit short form where they have one.
        public var services: [String]
        public var profile: String?
        public var why: String?
    }

    /// Scans on every powered adapter for `seconds`, then describes what BlueZ knows.
    /// - Parameter busAddress: the bus (nil: the system bus, `DBUS_SYSTEM_BUS_ADDRESS` when set).
    public static func scan(seconds: Int, catalog: ProfileCatalog, busAddress: String? = nil) throws(BluetoothFailure) -> [Row] {
        let client = try BlueZClient(address: busAddress)
        defer { client.close() }
        let adapters = client.adapters.filter(\.powered)
        guard !adapters.isEmpty else { throw .noAdapter(detail: "no powered adapter") }
        var started: [String] = []
        for adapter in adapters {
            try client.setDiscoveryFilter(adapter: adapter.path, uuids: [], rssi: nil)
            do {
                try client.startDiscovery(adapter: adapter.path)
                started.append(adapter.path)
            } catch .inProgress {
                // Another client (the daemon) is scanning already: its results are shared.
            }
        }
        if seconds > 0 { ThreadSleep.sleep(seconds: Double(seconds)) }
        for path in started { try? client.stopDiscovery(adapter: path) }
        return client.devices.map { describe($0, catalog: catalog) }
            .sorted { ($0.rssi ?? -999, $0.address) > ($1.rssi ?? -999, $1.address) }
    }

    /// The row of one device: the claiming profile, or why none claims it.
    public static func describe(_ d: BlueZDevice, catalog: ProfileCatalog) -> Row {
        let port = PortDescription(devnode: d.path, syspath: d.path, bluetooth: d.identity, transport: .ble)
        var row = Row(address: d.address, name: d.name.map(AdvertisedName.printable), rssi: d.rssi, services: d.uuids.map(BluetoothUUID.short))
        if let p = catalog.match(port) {
            row.profile = p.id
        } else {
            var disabled = catalog.profiles.filter { !$0.enabled && $0.match.score(port) > 0 }.map(\.id)
            disabled.sort()
            row.why = disabled.isEmpty
                ? (PortVerdict(port: port, catalog: catalog).why ?? "no profile matches")
                    + "; it will not be connected"
                : "would be claimed by \(disabled.joined(separator: ", ")), which ships disabled (enabled: false): "
                    + "give it an exact 'address' rule and enable it"
        }
        return row
    }

    /// The table a technician reads.
    public static func table(_ rows: [Row]) -> String {
        guard !rows.isEmpty else { return "no Bluetooth LE device in range (is the device awake and advertising?)\n" }
        var out = "ADDRESS            RSSI  NAME                  SERVICES                         PROFILE\n"
        for r in rows {
            let rssi = r.rssi.map { String($0) } ?? "-"
            let name = r.name ?? "(no name)"
            let services = r.services.isEmpty ? "-" : r.services.joined(separator: ",")
            out += pad(r.address, 19) + pad(rssi, 6) + pad(name, 22) + pad(services, 33) + (r.profile ?? "none: \(r.why ?? "")") + "\n"
        }
        return out
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
