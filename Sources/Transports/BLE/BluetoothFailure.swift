/// Why a Bluetooth LE operation failed, from BlueZ's error names, each said so that a
/// technician knows what to check. BlueZ reports ATT errors and "not connected" inside
/// `org.bluez.Error.Failed` with a message; both are recognised here.
public enum BluetoothFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bus or BlueZ is not there (bluetoothd stopped, no permission on the system bus).
    case serviceUnavailable(detail: String)
    /// No Bluetooth adapter, or it is powered off or blocked.
    case noAdapter(detail: String)
    /// The device is not connected (it walked out of range or turned itself off).
    case notConnected
    /// BlueZ is still busy with the previous request (a second write before the first answer).
    case inProgress
    /// The device refused the operation (an encrypted characteristic without pairing).
    case notPermitted(detail: String)
    /// The device needs pairing first.
    case notAuthorized(detail: String)
    /// The device does not offer the operation (no notify on that characteristic).
    case notSupported(detail: String)
    /// The device did not answer in time.
    case timedOut(operation: String)
    /// The device lacks the GATT service or characteristic the profile names.
    case missing(uuid: String)
    /// An error with an ATT code inside (`Failed "… 0x81"`).
    case attError(code: UInt8, detail: String)
    /// Any other BlueZ error, by name.
    case failed(name: String, detail: String)

    public var description: String {
        switch self {
        case let .serviceUnavailable(d):
            "BlueZ is not reachable on the system bus (\(d)): check that bluetoothd runs and the pocgate unit may talk to org.bluez"
        case let .noAdapter(d): "no usable Bluetooth adapter (\(d)): check `bluetoothctl show`, rfkill and the adapter's power"
        case .notConnected: "the Bluetooth device is not connected: bring it closer, wake it (press its button) and try again"
        case .inProgress: "BlueZ is still busy with the previous request to this device"
        case let .notPermitted(d): "the device refused the operation (\(d)): it may need pairing (`pocgate ble pair`)"
        case let .notAuthorized(d): "the device needs pairing first (\(d)): pair it with `pocgate ble pair`"
        case let .notSupported(d): "the device does not support this operation (\(d)): check the profile's characteristic UUIDs"
        case let .timedOut(op): "\(op) timed out: the device is out of range or asleep"
        case let .missing(uuid): "the device has no GATT service or characteristic \(uuid): check the profile's `ble:` UUIDs against `pocgate ble scan`"
        case let .attError(code, d): "the device answered with ATT error 0x\(String(code, radix: 16, uppercase: true)) (\(d))"
        case let .failed(name, d): "BlueZ error \(name)\(d.isEmpty ? "" : ": \(d)")"
        }
    }

    /// The failure a BlueZ D-Bus error name and message stand for.
    public static func from(errorName name: String, message: String) -> BluetoothFailure {
        switch name {
        case "org.bluez.Error.NotConnected": return .notConnected
        case "org.bluez.Error.InProgress": return .inProgress
        case "org.bluez.Error.NotPermitted": return .notPermitted(detail: message)
        case "org.bluez.Error.NotAuthorized", "org.bluez.Error.AuthenticationFailed": return .notAuthorized(detail: message)
        case "org.bluez.Error.NotSupported": return .notSupported(detail: message)
        case "org.bluez.Error.NotReady": return .noAdapter(detail: message)
        case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout": return .timedOut(operation: "the request")
        case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.AccessDenied", "org.pocgate.Bus.Closed":
            return .serviceUnavailable(detail: message)
        case "org.bluez.Error.Failed":
            let lower = message.lowercased()
            if lower.contains("not connected") { return .notConnected }
            if let code = attCode(in: message) { return .attError(code: code, detail: message) }
            return .failed(name: name, detail: message)
        default:
            return .failed(name: name, detail: message)
        }
    }

    /// The ATT code in a message such as "Operation failed with ATT error: 0x81".
    static func attCode(in message: String) -> UInt8? {
        let bytes = Array(message.lowercased().utf8)
        guard message.lowercased().contains("att"), bytes.count >= 4 else { return nil }
        for i in stride(from: bytes.count - 4, through: 0, by: -1) where bytes[i] == UInt8(ascii: "0") && bytes[i + 1] == UInt8(ascii: "x") {
            return UInt8(String(decoding: bytes[(i + 2)...(i + 3)], as: UTF8.self), radix: 16)
        }
        return nil
    }
}
