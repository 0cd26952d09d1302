/// The Ultra 2 "DM" commands pocgate may send, as an allow-list.
///
/// `DMZ` (zero the log), `DMT…` (set the clock) and every other text can never be transmitted.
public enum Ultra2Command: String, Sendable, CaseIterable {
    /// Firmware identification.
    case readFirmware = "DM?"
    /// Serial number.
    case readSerial = "DM@"
    /// Meter clock (read only).
    case readClock = "DMF"
    /// Display unit.
    case readUnit = "DMSU?"
    /// Time format.
    case readTimeFormat = "DMST?"
    /// Dump every record.
    case dump = "DMP"

    /// The bytes on the wire: DC1 CR, the command, CR.
    public var bytes: [UInt8] { [0x11, 0x0D] + Array(rawValue.utf8) + [0x0D] }

    /// Whether `bytes` are exactly one allowed command as it is framed on the wire.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        allCases.contains { $0.bytes == bytes }
    }
}
