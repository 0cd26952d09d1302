public import PocGateCore

/// How a profile's device is reached (`transport:` in the profile, default `tty`). The
/// protocol above it is the family's, unchanged: a TaiDoc meter speaks the same frames on a
/// PL2303 tty, behind a CP2110 HID bridge or over a BLE serial service.
public enum ProfileTransport: String, Sendable, Hashable, CaseIterable {
    /// A tty (USB-serial, CDC-ACM, RFCOMM), configured with the profile's `line`.
    case tty
    /// USB HID input and output reports through hidraw, one report per read.
    case hid
    /// A Silicon Labs CP2110 HID-to-UART bridge: its UART is enabled and set to the profile's
    /// `line` by feature reports, then bytes flow as on a tty.
    case cp2110
    /// Bytes over a BLE "serial" GATT service (a write and a notify characteristic).
    case bleUART = "ble-uart"
    /// A Bluetooth SIG GATT profile (glucose, blood pressure, …) over BlueZ.
    case bleGATT = "ble-gatt"

    /// The kind of port this transport opens: a profile claims only ports of that kind.
    public var opens: PortTransport {
        switch self {
        case .tty: .tty
        case .hid, .cp2110: .hidraw
        case .bleUART, .bleGATT: .ble
        }
    }

    /// Whether the profile's `line` settings apply (and `line` is required).
    public var hasLineSettings: Bool {
        self == .tty || self == .cp2110
    }
}
