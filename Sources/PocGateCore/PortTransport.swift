/// What kind of link a discovered port is: which transport opens it, and which profiles may
/// claim it (`ProfileTransport.opens`).
public enum PortTransport: String, Sendable, Hashable, Codable, CaseIterable {
    /// A tty: USB-serial, CDC-ACM, a platform UART or a Bluetooth RFCOMM tty.
    case tty
    /// A USB HID interface read through `/dev/hidrawN`.
    case hidraw
    /// A Bluetooth Low Energy device reached through BlueZ's GATT objects.
    case ble
    /// A classic Bluetooth serial (SPP) device bound with `pocgate bt bind`, reached through
    /// BlueZ's Profile API: each session gets a connected RFCOMM socket, a byte stream like a tty.
    case btSPP = "bt-spp"

    /// Whether a profile whose transport opens ports of this kind may claim a port of kind
    /// `port`: the same kind, or a bound SPP device for a tty profile, whose `match.bluetooth`
    /// rules claim it exactly as they claim an RFCOMM tty (`/dev/rfcommN`).
    public func claims(_ port: PortTransport) -> Bool {
        self == port || (self == .tty && port == .btSPP)
    }
}
