/// The identity of the Bluetooth device at the far end of an RFCOMM tty.
///
/// The kernel exposes only the remote address (`/sys/class/tty/rfcommN/address`) and the
/// RFCOMM channel; the device's name is known only when configured (`bluetooth.devices` in
/// the gateway configuration), because BlueZ keeps it in its own cache, not in sysfs.
public struct BluetoothIdentity: Sendable, Hashable, Codable {
    /// `00:11:22:33:44:55`, upper case.
    public var address: String
    /// The RFCOMM channel, when sysfs states it.
    public var channel: Int?
    /// The remote device's name, when configured (or, for a BLE device, advertised).
    public var name: String?
    /// The service UUIDs a BLE device advertises (canonical lower case); nil for an RFCOMM tty.
    public var services: [String]?

    public init(address: String, channel: Int? = nil, name: String? = nil, services: [String]? = nil) {
        self.address = address
        self.channel = channel
        self.name = name
        self.services = services
    }

    /// The first three bytes of the address (the vendor's OUI), e.g. `00:11:22`.
    public var oui: String { String(address.prefix(8)) }

    /// `address` in canonical form (six colon-separated hex pairs, upper case), or nil when
    /// it is not a Bluetooth address. Accepts `-` as separator and lower case.
    public static func canonicalAddress(_ text: String) -> String? {
        canonical(text, pairs: 6)
    }

    /// An OUI (`00:11:22`) in canonical form, or nil.
    public static func canonicalOUI(_ text: String) -> String? {
        canonical(text, pairs: 3)
    }

    private static func canonical(_ text: String, pairs: Int) -> String? {
        let parts = text.split(separator: text.contains("-") ? "-" : ":", omittingEmptySubsequences: false)
        guard parts.count == pairs, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
        return parts.map { $0.uppercased() }.joined(separator: ":")
    }
}
