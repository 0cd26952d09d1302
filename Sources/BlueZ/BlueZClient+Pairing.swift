public import Transports

extension BlueZClient {
    /// Pairs with the device (`Device1.Pair`): BlueZ asks the default agent for what the
    /// device's method needs and returns when pairing ended. The D-Bus timeout covers typing a
    /// passkey. Errors keep BlueZ's name (`AuthenticationFailed`, `AlreadyExists`, …).
    public func pair(device path: String, timeoutMillis: Int = 90_000) throws(PairingError) {
        do {
            _ = try connection.call(destination: BlueZName.service, path: path, interface: BlueZName.device, member: "Pair",
                                    timeoutMillis: timeoutMillis)
        } catch {
            throw PairingError(name: error.name, message: error.message)
        }
    }

    /// Sets the device's `Trusted` property, so that BlueZ accepts its connections without an agent.
    public func setTrusted(device path: String, _ trusted: Bool) throws(BluetoothFailure) {
        try call(path, BlueZName.properties, "Set", [.string(BlueZName.device), .string("Trusted"), .variant(.bool(trusted))])
    }

    /// Removes the device and its pairing keys from the adapter (`Adapter1.RemoveDevice`).
    public func removeDevice(adapter: String, device path: String) throws(BluetoothFailure) {
        try call(adapter, BlueZName.adapter, "RemoveDevice", [.objectPath(path)])
    }

    /// Waits until the device at `path` has `ready` (re-checked at every change), or the deadline.
    public func waitForDevice(_ path: String, millis: Int, _ ready: (BlueZDevice?) -> Bool) -> Bool {
        wait(millis: millis) { t in ready(t.objects[path]?[BlueZName.device].flatMap { BlueZDevice(path: path, properties: $0) }) }
    }
}

/// Why `Device1.Pair` failed, by BlueZ's error name, with what the technician does about it.
public struct PairingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    /// The last part of the error name (`AuthenticationFailed`).
    public var reason: String { String(name.split(separator: ".").last ?? Substring(name)) }

    public var description: String {
        let detail = message.isEmpty ? name : "\(name): \(message)"
        switch reason {
        case "AuthenticationFailed":
            return "pairing was refused (\(detail)): the passkey did not match; read the 6 digits on the device's display again and retry"
        case "AuthenticationCanceled", "AuthenticationRejected", "Canceled", "Rejected":
            return "pairing was cancelled (\(detail)): the device or the prompt cancelled it; put the device in pairing mode and retry"
        case "ConnectionAttemptFailed", "AuthenticationTimeout", "NoReply", "Timeout", "PageTimeout":
            return "the device could not be reached (\(detail)): put it in pairing mode (see its manual), bring it within 1 m and retry"
        case "AlreadyExists":
            return "the device is already paired (\(detail))"
        case "InProgress":
            return "a pairing with this device is already in progress (\(detail)): wait for it to end"
        case "DoesNotExist", "UnknownObject":
            return "BlueZ no longer knows the device (\(detail)): run `pocgate ble scan` with the device advertising, then retry"
        default:
            return "pairing failed (\(detail))"
        }
    }
}
