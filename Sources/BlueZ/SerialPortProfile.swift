import PocGateCore
import Services
public import Transports
#if canImport(Glibc)
import Glibc
#endif

/// pocgate's classic Bluetooth serial port (SPP) profile, registered with BlueZ through its
/// Profile API (`org.bluez.Profile1` at `/org/pocgate/spp`, `ProfileManager1.RegisterProfile`
/// for the SPP UUID, role client, no auto-connect). `connect` asks BlueZ to connect the
/// profile of one device (`Device1.ConnectProfile`); BlueZ reads the RFCOMM channel from the
/// device's SDP record, connects, and hands pocgate the connected socket in `NewConnection`.
///
/// `NewConnection` arrives on the bus thread: the descriptor belongs to the message, so it is
/// duplicated there, parked for the `connect` that waits for it, and the call is answered at
/// once. A connection nobody asked for (the device connecting by itself, one that arrives
/// after its `connect` gave up) is refused. `RequestDisconnection` hangs the open link up (its
/// session sees an unplug after what it has read); after `Release` (bluetoothd stopping) the
/// next `connect` registers the profile again.
public final class SerialPortProfile: Sendable {
    public static let path = "/org/pocgate/spp"
    /// The Serial Port Profile's service class UUID.
    public static let uuid = BluetoothUUID.serialPort

    private struct State {
        /// Devices whose `connect` waits for a socket.
        var expected: Set<String> = []
        /// Sockets BlueZ handed over (duplicated), by device path, until `connect` takes them.
        var arrived: [String: Int32] = [:]
        /// The open link of each device, for `RequestDisconnection`.
        var open: [String: StreamSocketLink] = [:]
        /// BlueZ called `Release` (bluetoothd stopping): connections are refused until the next
        /// `connect` registers the profile again.
        var released = false
        var releases = 0
        /// Connections refused because nobody asked for them.
        var refused = 0
    }

    private let client: BlueZClient
    private let state = Monitor(State())

    /// Exports the profile object and registers it with BlueZ.
    public init(client: BlueZClient) throws(BluetoothFailure) {
        self.client = client
        do {
            try client.connection.exportProfile1(path: Self.path) { [state] call in Self.received(call, state: state) }
        } catch {
            throw .serviceUnavailable(detail: error.description)
        }
        try register()
    }

    private func register() throws(BluetoothFailure) {
        try client.call("/org/bluez", BlueZName.profileManager, "RegisterProfile",
                        [.objectPath(Self.path), .string(Self.uuid), Self.options])
    }

    /// How many times BlueZ released the profile (bluetoothd stopping or restarting).
    public var releases: Int { state.withLock { $0.releases } }

    /// RegisterProfile's options: the client role (pocgate connects to the device), and BlueZ
    /// connects it only when asked (no `AutoConnect` when the device connects for another
    /// profile).
    static let options = DBusValue.options([
        ("Name", .string("pocgate serial port")),
        ("Role", .string("client")),
        ("AutoConnect", .bool(false)),
    ])

    /// Unregisters the profile (safe to call when BlueZ is gone).
    public func unregister() {
        _ = try? client.call("/org/bluez", BlueZName.profileManager, "UnregisterProfile", [.objectPath(Self.path)], timeoutMillis: 5000)
        let (fds, links) = state.update { s in
            defer { s.arrived.removeAll(); s.open.removeAll() }
            return (Array(s.arrived.values), Array(s.open.values))
        }
        for fd in fds { Glibc.close(fd) }
        for link in links { link.hangUp() }
    }

    /// Connections refused because pocgate had not asked for them (for the tests and status).
    public var refusedConnections: Int { state.withLock { $0.refused } }

    /// Connects the SPP profile of the device at `path` and returns its byte stream. Closing
    /// the returned link disconnects the profile. Not on the bus thread.
    /// - Parameter timeoutMillis: bounds BlueZ's connect (paging, SDP, RFCOMM), and again the
    ///   wait for the socket.
    public func connect(device path: String, name: String, timeoutMillis: Int = 30_000) throws(BluetoothFailure) -> any DeviceLink {
        let stale: Int32? = state.update { s in
            s.expected.insert(path)
            return s.arrived.removeValue(forKey: path)
        }
        if let stale { Glibc.close(stale) }
        defer { state.update { _ = $0.expected.remove(path) } }
        if state.withLock({ $0.released }) {
            // BlueZ forgot the profile (bluetoothd restarted): register it again first.
            try register()
            state.update { $0.released = false }
        }
        do {
            try client.call(path, BlueZName.device, "ConnectProfile", [.string(Self.uuid)], timeoutMillis: timeoutMillis)
        } catch .failed(let name, _) where name == "org.bluez.Error.AlreadyConnected" {
            // BlueZ still holds the previous connection: drop it so that the next attempt starts clean.
            _ = try? client.call(path, BlueZName.device, "DisconnectProfile", [.string(Self.uuid)], timeoutMillis: 5000)
            throw .inProgress
        }
        // BlueZ calls NewConnection before it answers ConnectProfile; wait a little in case not.
        state.wait(until: .now + .milliseconds(min(timeoutMillis, 5000))) { $0.arrived[path] != nil }
        guard let fd = state.update({ $0.arrived.removeValue(forKey: path) }) else {
            _ = try? client.call(path, BlueZName.device, "DisconnectProfile", [.string(Self.uuid)], timeoutMillis: 5000)
            throw .timedOut(operation: "receiving the serial port connection of \(name)")
        }
        let link = StreamSocketLink(fd: fd, name: "bt-spp \(name)")
        state.update { $0.open[path] = link }
        return SerialPortConnection(link: link) { [self] in
            state.update { s in if s.open[path] === link { s.open[path] = nil } }
            _ = try? client.call(path, BlueZName.device, "DisconnectProfile", [.string(Self.uuid)], timeoutMillis: 5000)
        }
    }

    /// On the bus thread: answers at once, never blocks.
    private static func received(_ call: DBusMethodCall, state: Monitor<State>) {
        let device = call.arguments.first?.stringValue ?? ""
        switch call.member {
        case "NewConnection":
            guard call.arguments.count >= 2, let fd = call.arguments[1].intValue.map(Int32.init(truncatingIfNeeded:)), fd >= 0 else {
                return call.fail(name: "org.bluez.Error.InvalidArguments", message: "no file descriptor")
            }
            let wanted = state.withLock { $0.expected.contains(device) && !$0.released }
            guard wanted else {
                state.update { $0.refused += 1 }
                return call.fail(name: "org.bluez.Error.Rejected", message: "pocgate did not ask for this connection")
            }
            // The message owns `fd` and is freed once answered: keep a duplicate.
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
            guard copy >= 0 else { return call.fail(name: "org.bluez.Error.Failed", message: "cannot keep the socket") }
            let previous = state.update { s in
                defer { s.arrived[device] = copy }
                return s.arrived[device]
            }
            if let previous { Glibc.close(previous) }
            call.reply()
        case "RequestDisconnection":
            state.withLock { $0.open[device] }?.hangUp()
            call.reply()
        case "Release":
            state.update { s in
                s.released = true
                s.releases += 1
            }
            call.reply()
        default:
            call.fail(name: "org.freedesktop.DBus.Error.UnknownMethod", message: call.member)
        }
    }
}
