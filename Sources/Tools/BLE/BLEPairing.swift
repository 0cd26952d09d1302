public import BlueZ
public import Daemon
public import DeviceProfiles
import PocGateCore
public import Transports

/// `pocgate ble pair` and `pocgate ble forget`: pairing a Bluetooth device as a technician
/// does it, through pocgate's own BlueZ agent, and removing it again. An address that no loaded
/// profile claims is refused before anything is sent to BlueZ (unless forced): pairing a phone
/// that happens to be in range is never what the technician meant.
public enum BLEPairing {
    /// Why a pairing command failed, with its sysexits code.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The address is not a Bluetooth address.
        case badAddress(String)
        /// BlueZ does not know the device (never seen advertising).
        case unknownDevice(String)
        /// No loaded profile claims the device; `why` says what the scan says.
        case unclaimed(address: String, why: String)
        case bluetooth(BluetoothFailure)
        case pairing(PairingError)

        public var description: String {
            switch self {
            case let .badAddress(a): "'\(a)' is not a Bluetooth address (six hex pairs: C0:26:DA:00:42:77)"
            case let .unknownDevice(a):
                "BlueZ does not know \(a): put the device in pairing mode and run `pocgate ble scan` until it is listed, then retry"
            case let .unclaimed(a, why):
                "refusing to pair \(a): no loaded profile claims it (\(why)); pairing a device pocgate will not read "
                    + "(a phone in range) is not what you want. Check the address against the device's label, or give --force"
            case let .bluetooth(f): f.description
            case let .pairing(p): p.description
            }
        }

        /// The exit code: 65 for an address refused, 69 without BlueZ, 77 when the device
        /// refused the pairing, 75 when it could not be reached (try again).
        public var exitStatus: ExitStatus {
            switch self {
            case .badAddress, .unknownDevice, .unclaimed: return .dataError
            case let .bluetooth(f):
                switch f {
                case .serviceUnavailable, .noAdapter: return .unavailable
                case .timedOut, .notConnected, .inProgress: return .tryAgain
                case .notAuthorized, .notPermitted: return .noPermission
                default: return .software
                }
            case let .pairing(p):
                switch p.reason {
                case "AuthenticationFailed", "AuthenticationCanceled", "AuthenticationRejected", "Canceled", "Rejected": return .noPermission
                case "ConnectionAttemptFailed", "AuthenticationTimeout", "NoReply", "Timeout", "InProgress": return .tryAgain
                case "DoesNotExist", "UnknownObject": return .dataError
                default: return .software
                }
            }
        }
    }

    /// What a pairing did.
    public struct Outcome: Sendable, Equatable {
        public var address: String
        public var profile: String?
        /// The device was paired before (BlueZ answered AlreadyExists); it is trusted anyway.
        public var alreadyPaired: Bool
        public var paired: Bool
        public var trusted: Bool
        /// The agent methods BlueZ called.
        public var asked: [String]
    }

    /// Pairs the device at `address` and marks it trusted.
    /// - Parameters:
    ///   - force: pair even when no profile in `catalog` claims the device.
    ///   - responder: answers the agent's questions (the `--passkey` or the terminal).
    ///   - busAddress: the bus (nil: the system bus, `DBUS_SYSTEM_BUS_ADDRESS` when set).
    public static func pair(address: String, force: Bool, catalog: ProfileCatalog, responder: any PairingResponder,
                            busAddress: String? = nil, timeoutMillis: Int = 90_000) throws(Failure) -> Outcome {
        let client: BlueZClient
        do { client = try BlueZClient(address: busAddress) } catch { throw .bluetooth(error) }
        defer { client.close() }
        let (device, profile) = try claimed(address, force: force, client: client, catalog: catalog)
        let agent: BlueZAgent
        do { agent = try BlueZAgent(client: client, device: device.path, responder: responder) } catch { throw .bluetooth(error) }
        var already = false
        do {
            try client.pair(device: device.path, timeoutMillis: timeoutMillis)
        } catch where error.reason == "AlreadyExists" {
            already = true
        } catch {
            agent.unregister()
            throw .pairing(error)
        }
        agent.unregister()
        do { try client.setTrusted(device: device.path, true) } catch { throw .bluetooth(error) }
        _ = client.waitForDevice(device.path, millis: 2000) { $0?.paired == true && $0?.trusted == true }
        let now = client.device(at: device.path)
        return Outcome(address: device.address, profile: profile, alreadyPaired: already, paired: now?.paired ?? false,
                       trusted: now?.trusted ?? false, asked: agent.asked)
    }

    /// Removes the device and its keys from its adapter; returns its address.
    public static func forget(address: String, force: Bool, catalog: ProfileCatalog, busAddress: String? = nil) throws(Failure) -> String {
        let client: BlueZClient
        do { client = try BlueZClient(address: busAddress) } catch { throw .bluetooth(error) }
        defer { client.close() }
        let (device, _) = try claimed(address, force: force, client: client, catalog: catalog)
        do { try client.removeDevice(adapter: device.adapter, device: device.path) } catch { throw .bluetooth(error) }
        return device.address
    }

    /// The device BlueZ knows at `address` and the profile that claims it; refuses an unclaimed
    /// one unless `force`. Nothing is called on BlueZ's objects here.
    static func claimed(_ address: String, force: Bool, client: BlueZClient, catalog: ProfileCatalog) throws(Failure) -> (BlueZDevice, String?) {
        guard let canonical = BluetoothIdentity.canonicalAddress(address) else { throw .badAddress(address) }
        guard let device = client.devices.first(where: { $0.address == canonical }) else { throw .unknownDevice(canonical) }
        let row = BLEScan.describe(device, catalog: catalog)
        if row.profile == nil, !force { throw .unclaimed(address: canonical, why: row.why ?? "no profile matches") }
        return (device, row.profile)
    }
}
