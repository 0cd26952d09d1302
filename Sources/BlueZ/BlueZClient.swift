import PocGateCore
import Services
import Synchronization
public import Transports

/// A client of BlueZ on the system bus (or the bus at `DBUS_SYSTEM_BUS_ADDRESS`, a test's
/// private bus): BlueZ's object tree kept current from its signals, discovery, connecting, and
/// GATT reads, writes and notifications. Object paths are handles found in the tree, never
/// built from addresses or handles; UUIDs are compared in canonical lower case.
///
/// Every method blocks its caller until BlueZ answers and may be called from any thread but
/// the bus thread (that is, not from an observer).
public final class BlueZClient: Sendable {
    public let connection: DBusConnection
    private let tree = Monitor(BlueZTree())
    private let observers = Mutex<[Int: @Sendable (BlueZEvent) -> Void]>([:])
    private let nextObserver = Mutex(1)

    /// Connects to the bus (`address`, else the system bus) and loads BlueZ's objects.
    public convenience init(address: String? = nil) throws(BluetoothFailure) {
        let connection: DBusConnection
        do { connection = try DBusConnection(address: address, name: "bluez bus") } catch {
            throw .serviceUnavailable(detail: error.description)
        }
        try self.init(connection: connection)
    }

    /// Subscribes to BlueZ's signals on `connection` and loads its objects.
    public init(connection: DBusConnection) throws(BluetoothFailure) {
        self.connection = connection
        for (interface, member) in [(BlueZName.objectManager, "InterfacesAdded"), (BlueZName.objectManager, "InterfacesRemoved"),
                                    (BlueZName.properties, "PropertiesChanged")] {
            connection.addMatch("type='signal',interface='\(interface)',member='\(member)'") { [weak self] signal in
                self?.received(signal)
            }
        }
        let reply: [DBusValue]
        do {
            reply = try call("/", BlueZName.objectManager, "GetManagedObjects")
        } catch {
            connection.close()
            throw error
        }
        guard let objects = reply.first else {
            connection.close()
            throw .serviceUnavailable(detail: "GetManagedObjects returned nothing")
        }
        tree.update { $0.load(objects) }
    }

    /// Closes the bus connection.
    public func close() { connection.close() }

    // MARK: events

    /// Registers `observer` for every change (on the bus thread: it must only record and
    /// wake). Returns a token for `removeObserver`.
    public func addObserver(_ observer: @escaping @Sendable (BlueZEvent) -> Void) -> Int {
        let token = nextObserver.withLock { n in defer { n += 1 }; return n }
        observers.withLock { $0[token] = observer }
        return token
    }

    public func removeObserver(_ token: Int) {
        _ = observers.withLock { $0.removeValue(forKey: token) }
    }

    private func received(_ signal: DBusSignal) {
        guard signal.path == "/" || signal.path.hasPrefix("/org/bluez") else { return }
        guard let event = tree.update({ $0.apply(signal) }) else { return }
        for observer in observers.withLock({ Array($0.values) }) { observer(event) }
    }

    /// Waits until `ready` holds for the tree (it is re-checked at every change), or the deadline.
    func wait(millis: Int, _ ready: (BlueZTree) -> Bool) -> Bool {
        tree.wait(until: .now + .milliseconds(millis), ready)
    }

    // MARK: objects

    public var adapters: [BlueZAdapter] {
        tree.withLock { t in
            t.objects.compactMap { path, interfaces in
                interfaces[BlueZName.adapter].map {
                    BlueZAdapter(path: path, address: $0["Address"]?.stringValue, powered: $0["Powered"]?.boolValue ?? false,
                                 discovering: $0["Discovering"]?.boolValue ?? false)
                }
            }.sorted { $0.path < $1.path }
        }
    }

    public var devices: [BlueZDevice] {
        tree.withLock { t in
            t.objects.compactMap { path, interfaces in interfaces[BlueZName.device].flatMap { BlueZDevice(path: path, properties: $0) } }
                .sorted { $0.path < $1.path }
        }
    }

    public func device(at path: String) -> BlueZDevice? {
        tree.withLock { t in t.objects[path]?[BlueZName.device].flatMap { BlueZDevice(path: path, properties: $0) } }
    }

    /// The path of the characteristic `characteristic` of service `service` under `device`
    /// (UUIDs canonical), or nil when the device does not (yet) have it.
    public func characteristicPath(device: String, service: String, characteristic: String) -> String? {
        tree.withLock { t in
            let services = t.children(of: device, with: BlueZName.gattService)
                .filter { $0.properties["UUID"]?.stringValue.flatMap(BluetoothUUID.canonical) == service }
            for s in services {
                if let c = t.children(of: s.path, with: BlueZName.gattCharacteristic)
                    .first(where: { $0.properties["UUID"]?.stringValue.flatMap(BluetoothUUID.canonical) == characteristic }) {
                    return c.path
                }
            }
            return nil
        }
    }

    /// A characteristic's flags (`read`, `write`, `write-without-response`, `notify`, `indicate`, …).
    public func characteristicFlags(_ path: String) -> [String] {
        tree.withLock { $0.objects[path]?[BlueZName.gattCharacteristic]?["Flags"]?.stringsValue ?? [] }
    }

    // MARK: calls

    @discardableResult
    func call(_ path: String, _ interface: String, _ member: String, _ arguments: [DBusValue] = [],
              timeoutMillis: Int = 25_000) throws(BluetoothFailure) -> [DBusValue] {
        do {
            return try connection.call(destination: BlueZName.service, path: path, interface: interface, member: member,
                                       arguments, timeoutMillis: timeoutMillis)
        } catch {
            if error.name == DBusError.noReplyName { throw .timedOut(operation: "\(member) on \(path)") }
            throw BluetoothFailure.from(errorName: error.name, message: error.message)
        }
    }

    /// Sets the adapter's discovery filter: LE only, the given service UUIDs (empty: any),
    /// and an RSSI floor; the types are BlueZ's (`as`, `n`, `s`).
    public func setDiscoveryFilter(adapter: String, uuids: [String], rssi: Int16?) throws(BluetoothFailure) {
        var entries: [(String, DBusValue)] = [("Transport", .string("le"))]
        if !uuids.isEmpty { entries.append(("UUIDs", .strings(uuids))) }
        if let rssi { entries.append(("RSSI", .int16(rssi))) }
        try call(adapter, BlueZName.adapter, "SetDiscoveryFilter", [.options(entries)])
    }

    public func startDiscovery(adapter: String) throws(BluetoothFailure) {
        try call(adapter, BlueZName.adapter, "StartDiscovery")
    }

    public func stopDiscovery(adapter: String) throws(BluetoothFailure) {
        try call(adapter, BlueZName.adapter, "StopDiscovery")
    }

    /// Connects and waits until BlueZ has resolved the device's services (`Connect` returning
    /// is not "ready"). `timeoutMillis` bounds each of the two steps.
    public func connect(device path: String, timeoutMillis: Int = 30_000) throws(BluetoothFailure) {
        do {
            try call(path, BlueZName.device, "Connect", timeoutMillis: timeoutMillis)
        } catch .failed(let name, _) where name == "org.bluez.Error.AlreadyConnected" {
            // Connected already: wait for the services as after a connect.
        }
        let ready = wait(millis: timeoutMillis) { t in
            let d = t.objects[path]?[BlueZName.device]
            return d == nil || d?["ServicesResolved"]?.boolValue == true || d?["Connected"]?.boolValue == false
        }
        guard let device = device(at: path), device.connected else { throw .notConnected }
        guard ready, device.servicesResolved else { throw .timedOut(operation: "resolving the services of \(device.address)") }
    }

    public func disconnect(device path: String) throws(BluetoothFailure) {
        try call(path, BlueZName.device, "Disconnect")
    }

    public func readValue(_ characteristic: String) throws(BluetoothFailure) -> [UInt8] {
        let reply = try call(characteristic, BlueZName.gattCharacteristic, "ReadValue", [.options([])])
        guard let bytes = reply.first?.bytesValue else { throw .failed(name: DBusError.badReplyName, detail: "ReadValue returned no bytes") }
        return bytes
    }

    /// Writes `bytes`: with response (`type: "request"`, acknowledged by the device) or
    /// without (`"command"`).
    public func writeValue(_ characteristic: String, _ bytes: [UInt8], withResponse: Bool,
                           timeoutMillis: Int = 25_000) throws(BluetoothFailure) {
        try call(characteristic, BlueZName.gattCharacteristic, "WriteValue",
                 [.bytes(bytes), .options([("type", .string(withResponse ? "request" : "command"))])],
                 timeoutMillis: timeoutMillis)
    }

    public func startNotify(_ characteristic: String) throws(BluetoothFailure) {
        try call(characteristic, BlueZName.gattCharacteristic, "StartNotify")
    }

    public func stopNotify(_ characteristic: String) throws(BluetoothFailure) {
        try call(characteristic, BlueZName.gattCharacteristic, "StopNotify")
    }
}
