import BlueZ
public import Daemon
public import DeviceProfiles
import PocGateCore
public import Transports

/// `pocgate bt bind` and `pocgate bt unbind`: which classic Bluetooth serial (SPP) devices the
/// daemon connects through BlueZ's Profile API. Binding checks that BlueZ knows the device,
/// that it is paired and offers the Serial Port service, and that a loaded, enabled profile
/// claims it (unless forced); then it records the binding in the state directory's
/// `bt-bindings` and tells the running daemon (`BTDaemonNotice`).
public enum BTBinding {
    /// Why a binding command failed, with its sysexits code.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case badAddress(String)
        /// BlueZ does not know the device.
        case unknownDevice(String)
        /// BlueZ knows it but it is not paired.
        case notPaired(String)
        /// Its service list has no Serial Port service (a BLE-only device, or SDP not read yet).
        case noSerialPort(address: String, services: [String])
        /// No loaded, enabled profile claims it (or the one named does not).
        case unclaimed(address: String, why: String)
        /// `--profile` names a profile that is not loaded, or one a serial device cannot use.
        case unusableProfile(id: String, why: String)
        case bluetooth(BluetoothFailure)
        case bindings(BluetoothBindingsError)

        public var description: String {
            switch self {
            case let .badAddress(a): "'\(a)' is not a Bluetooth address (six hex pairs: 00:12:A1:32:28:01)"
            case let .unknownDevice(a):
                "BlueZ does not know \(a): put the device in pairing mode and pair it first: pocgate ble pair \(a) --force"
            case let .notPaired(a): "\(a) is not paired: run `pocgate ble pair \(a) --force` (it pairs classic devices too), then bind again"
            case let .noSerialPort(a, services):
                "\(a) offers no Serial Port service (SPP, 00001101-…) among its services (\(services.isEmpty ? "none known" : services.joined(separator: ", "))): "
                    + "it is not a classic serial device, or BlueZ has not read its services yet (connect it once with bluetoothctl, then retry)"
            case let .unclaimed(a, why):
                "refusing to bind \(a): \(why); a device no profile reads would be connected for nothing. "
                    + "Add its address to a profile's `match.bluetooth`, name the profile with --profile, or give --force"
            case let .unusableProfile(id, why): "profile \(id): \(why)"
            case let .bluetooth(f): f.description
            case let .bindings(e): e.description
            }
        }

        /// The exit code, as `ble pair`'s: 65 refused address or profile, 69 no BlueZ, 73/77
        /// the bindings file could not be written or was refused, 75 try again.
        public var exitStatus: ExitStatus {
            switch self {
            case .badAddress, .unknownDevice, .notPaired, .noSerialPort, .unclaimed, .unusableProfile: return .dataError
            case let .bluetooth(f):
                switch f {
                case .serviceUnavailable, .noAdapter: return .unavailable
                case .timedOut, .inProgress: return .tryAgain
                default: return .software
                }
            case let .bindings(e):
                switch e {
                case .unsafe, .badLine, .tooLarge: return .noPermission
                case .tooMany, .unusableProfileID: return .dataError
                case .system: return .cannotCreate
                }
            }
        }
    }

    /// What `bind` did.
    public struct Outcome: Sendable, Equatable {
        public var address: String
        public var name: String?
        /// The profile that will serve it (nil: forced, none claims it yet).
        public var profile: String?
        /// False when it was bound so already.
        public var changed: Bool
    }

    /// Binds the device at `address`.
    /// - Parameters:
    ///   - profileID: the profile that must serve it (recorded in the binding); nil: the one
    ///     whose `match.bluetooth` claims it.
    ///   - names: the configuration's `bluetooth.devices` names; a name listed there wins over
    ///     BlueZ's, as in the daemon.
    public static func bind(address: String, profileID: String?, force: Bool, catalog: ProfileCatalog, names: [String: String],
                            bindingsPath: String, busAddress: String? = nil) throws(Failure) -> Outcome {
        guard let canonical = BluetoothIdentity.canonicalAddress(address) else { throw .badAddress(address) }
        let client: BlueZClient
        do { client = try BlueZClient(address: busAddress) } catch { throw .bluetooth(error) }
        defer { client.close() }
        guard let device = client.devices.first(where: { $0.address == canonical }) else { throw .unknownDevice(canonical) }
        guard device.paired else { throw .notPaired(canonical) }
        guard device.uuids.contains(BluetoothUUID.serialPort) else { throw .noSerialPort(address: canonical, services: device.uuids) }
        var port = PortDescription(devnode: device.path, syspath: "bt-spp:" + canonical,
                                   bluetooth: BluetoothIdentity(address: canonical, name: device.name, services: device.uuids),
                                   transport: .btSPP)
        port = port.naming(from: names)
        let profile = try servingProfile(port, profileID: profileID, force: force, catalog: catalog)
        var bindings: BluetoothBindings
        do { bindings = try BluetoothBindings.load(path: bindingsPath) } catch { throw .bindings(error) }
        let changed: Bool
        do { changed = try bindings.bind(.init(address: canonical, profile: profileID)) } catch { throw .bindings(error) }
        if changed {
            do { try bindings.save(path: bindingsPath) } catch { throw .bindings(error) }
        }
        return Outcome(address: canonical, name: port.bluetooth?.name, profile: profile, changed: changed)
    }

    /// The profile that serves `port`: the one named (it must exist, open ttys, and claim the
    /// port unless forced), else the catalog's match (none: refused unless forced).
    static func servingProfile(_ port: PortDescription, profileID: String?, force: Bool, catalog: ProfileCatalog) throws(Failure) -> String? {
        let address = port.bluetooth?.address ?? port.devnode
        if let profileID {
            guard let named = catalog.profile(id: profileID) else { throw .unusableProfile(id: profileID, why: "no such profile is loaded (`pocgate profile list`)") }
            guard named.match.portTransport.claims(.btSPP) else {
                throw .unusableProfile(id: profileID, why: "its transport is \(named.transport.rawValue); a Bluetooth serial device is served by a tty profile")
            }
            guard named.enabled || force else { throw .unclaimed(address: address, why: "profile \(profileID) is disabled (enabled: false)") }
            guard named.match.score(port) > 0 || force else {
                throw .unclaimed(address: address, why: "no `match.bluetooth` rule of profile \(profileID) matches it")
            }
            return profileID
        }
        if let claimed = catalog.match(port) { return claimed.id }
        guard force else { throw .unclaimed(address: address, why: "no loaded, enabled profile's `match.bluetooth` rule matches it") }
        return nil
    }

    /// Removes the binding of `address`; returns whether it was bound. BlueZ is not needed.
    public static func unbind(address: String, bindingsPath: String) throws(Failure) -> (address: String, wasBound: Bool) {
        guard let canonical = BluetoothIdentity.canonicalAddress(address) else { throw .badAddress(address) }
        var bindings: BluetoothBindings
        do { bindings = try BluetoothBindings.load(path: bindingsPath) } catch { throw .bindings(error) }
        guard bindings.unbind(canonical) else { return (canonical, false) }
        do { try bindings.save(path: bindingsPath) } catch { throw .bindings(error) }
        return (canonical, true)
    }

    /// The bindings recorded, for `pocgate bt list`.
    public static func list(bindingsPath: String) throws(Failure) -> [BluetoothBindings.Binding] {
        do { return try BluetoothBindings.load(path: bindingsPath).bindings } catch { throw .bindings(error) }
    }
}
