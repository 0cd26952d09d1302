public import PocGateCore

/// BlueZ's D-Bus names.
public enum BlueZName {
    public static let service = "org.bluez"
    public static let adapter = "org.bluez.Adapter1"
    public static let device = "org.bluez.Device1"
    public static let agentManager = "org.bluez.AgentManager1"
    public static let profileManager = "org.bluez.ProfileManager1"
    public static let gattService = "org.bluez.GattService1"
    public static let gattCharacteristic = "org.bluez.GattCharacteristic1"
    public static let objectManager = "org.freedesktop.DBus.ObjectManager"
    public static let properties = "org.freedesktop.DBus.Properties"
}

/// A Bluetooth adapter as BlueZ describes it.
public struct BlueZAdapter: Sendable, Equatable {
    /// The object path (`/org/bluez/hci0`).
    public var path: String
    public var address: String?
    public var powered: Bool
    /// Discovery is running (BlueZ stops it when the last client that started it goes).
    public var discovering: Bool
}

/// A remote device as BlueZ describes it (`org.bluez.Device1`).
public struct BlueZDevice: Sendable, Equatable {
    /// The object path: a handle, never built from the address by pocgate.
    public var path: String
    /// The adapter's object path.
    public var adapter: String
    /// Canonical upper-case address.
    public var address: String
    public var name: String?
    /// The signal strength of the last advertisement (nil when not seen during discovery).
    public var rssi: Int?
    /// Advertised or resolved service UUIDs, canonical lower case.
    public var uuids: [String]
    public var connected: Bool
    /// GATT discovery finished: only then are the services and characteristics there.
    public var servicesResolved: Bool
    public var paired: Bool
    /// BlueZ accepts the device's connections without asking an agent.
    public var trusted: Bool

    /// The identity the profile match rules look at.
    public var identity: BluetoothIdentity { BluetoothIdentity(address: address, name: name, services: uuids) }

    init?(path: String, properties p: [String: DBusValue]) {
        guard let address = p["Address"]?.stringValue.flatMap(BluetoothIdentity.canonicalAddress) else { return nil }
        self.path = path
        self.address = address
        adapter = p["Adapter"]?.stringValue ?? String(path.prefix(upTo: path.lastIndex(of: "/") ?? path.endIndex))
        name = p["Name"]?.stringValue ?? p["Alias"]?.stringValue
        rssi = p["RSSI"]?.intValue
        uuids = (p["UUIDs"]?.stringsValue ?? []).compactMap(BluetoothUUID.canonical)
        connected = p["Connected"]?.boolValue ?? false
        servicesResolved = p["ServicesResolved"]?.boolValue ?? false
        paired = p["Paired"]?.boolValue ?? false
        trusted = p["Trusted"]?.boolValue ?? false
    }
}

/// What changed in BlueZ's object tree, as the bus thread saw it. Observers get these on the
/// bus thread and must only record and wake.
public enum BlueZEvent: Sendable, Equatable {
    /// Objects or interfaces appeared.
    case added(path: String)
    /// Interfaces went away (`InterfacesRemoved`).
    case removed(path: String, interfaces: [String])
    /// Properties of an interface changed.
    case changed(path: String, interface: String, names: [String])
    /// A characteristic's `Value` changed: a notification, an indication or a read's copy.
    case value(path: String, bytes: [UInt8])
}

/// BlueZ's object tree: path → interface → property → value, kept from GetManagedObjects and
/// the InterfacesAdded/Removed and PropertiesChanged signals.
struct BlueZTree: Sendable {
    var objects: [String: [String: [String: DBusValue]]] = [:]

    /// Applies a signal; returns the event it means, if any.
    mutating func apply(_ s: DBusSignal) -> BlueZEvent? {
        switch (s.interface, s.member) {
        case (BlueZName.objectManager, "InterfacesAdded"):
            guard s.arguments.count == 2, let path = s.arguments[0].stringValue,
                  let interfaces = s.arguments[1].dictionaryValue else { return nil }
            for (name, props) in interfaces {
                objects[path, default: [:]][name, default: [:]].merge(props.dictionaryValue ?? [:]) { $1 }
            }
            return .added(path: path)
        case (BlueZName.objectManager, "InterfacesRemoved"):
            guard s.arguments.count == 2, let path = s.arguments[0].stringValue,
                  let names = s.arguments[1].stringsValue else { return nil }
            for name in names { objects[path]?[name] = nil }
            if objects[path]?.isEmpty == true { objects[path] = nil }
            return .removed(path: path, interfaces: names)
        case (BlueZName.properties, "PropertiesChanged"):
            guard s.arguments.count >= 2, let interface = s.arguments[0].stringValue,
                  let changed = s.arguments[1].dictionaryValue else { return nil }
            objects[s.path, default: [:]][interface, default: [:]].merge(changed) { $1 }
            for name in s.arguments.count > 2 ? s.arguments[2].stringsValue ?? [] : [] {
                objects[s.path]?[interface]?[name] = nil
            }
            if interface == BlueZName.gattCharacteristic, let bytes = changed["Value"]?.bytesValue {
                return .value(path: s.path, bytes: bytes)
            }
            return .changed(path: s.path, interface: interface, names: Array(changed.keys).sorted())
        default:
            return nil
        }
    }

    /// Replaces the tree with a GetManagedObjects reply `a{oa{sa{sv}}}`.
    mutating func load(_ reply: DBusValue) {
        objects = [:]
        for (path, interfaces) in reply.dictionaryValue ?? [:] {
            for (name, props) in interfaces.dictionaryValue ?? [:] {
                objects[path, default: [:]][name] = props.dictionaryValue ?? [:]
            }
        }
    }

    /// The object at `path` that has `interface`, under `parent` (direct or deeper).
    func children(of parent: String, with interface: String) -> [(path: String, properties: [String: DBusValue])] {
        objects.compactMap { path, interfaces in
            guard path.hasPrefix(parent + "/"), let p = interfaces[interface] else { return nil }
            return (path, p)
        }.sorted { $0.path < $1.path }
    }
}
