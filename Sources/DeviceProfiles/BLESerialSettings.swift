import PocGateCore

/// The `ble:` section of a `transport: ble-uart` profile: the GATT service that carries the
/// device's serial bytes, the characteristic the gateway writes to and the one the device
/// notifies on (they may be the same). UUIDs are canonical: 128-bit, lower case.
public struct BLESerialSettings: Sendable, Equatable {
    public var service: String
    public var write: String
    public var notify: String
    /// Write with response (`request`, acknowledged by the device), else without (`command`).
    public var writeWithResponse: Bool

    public init(service: String, write: String, notify: String, writeWithResponse: Bool = true) {
        self.service = service
        self.write = write
        self.notify = notify
        self.writeWithResponse = writeWithResponse
    }
}

extension DeviceProfile {
    /// `ble: { service, write, notify, write_type: request | command }`, UUIDs in the full
    /// 128-bit form or the 16/32-bit short form of a SIG-assigned UUID.
    static func parseBLESerial(_ b: YAMLMap, transport: ProfileTransport) throws(YAMLIssue) -> BLESerialSettings {
        guard transport == .bleUART else {
            throw b.issue("service", "'ble' is only for 'transport: ble-uart' (serial over BLE), not \(transport.rawValue)")
        }
        func uuid(_ key: String) throws(YAMLIssue) -> String {
            let text = try b.string(key, required: true)!
            guard let canonical = BluetoothUUID.canonical(text) else {
                throw b.issue(key, "'ble.\(key)' must be a UUID: 128-bit \"6e400001-b5a3-f393-e0a9-e50e24dcca9e\" or 16-bit \"ffe0\" (quote it), not '\(ProfileLimits.quoted(text))'")
            }
            return canonical
        }
        let settings = BLESerialSettings(service: try uuid("service"), write: try uuid("write"), notify: try uuid("notify"),
                                         writeWithResponse: (try b.choice("write_type", from: ["request", "command"]) ?? "request") == "request")
        try b.finish()
        return settings
    }
}
