/// What kind of link a discovered port is: which transport opens it, and which profiles may
/// claim it (`ProfileTransport.opens`).
public enum PortTransport: String, Sendable, Hashable, Codable, CaseIterable {
    /// A tty: USB-serial, CDC-ACM, a platform UART or a Bluetooth RFCOMM tty.
    case tty
    /// A USB HID interface read through `/dev/hidrawN`.
    case hidraw
    /// A Bluetooth Low Energy device reached through BlueZ's GATT objects.
    case ble
}
