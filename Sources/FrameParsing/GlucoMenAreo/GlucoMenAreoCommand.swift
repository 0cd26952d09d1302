/// The GlucoMen areo commands pocgate may send, as an allow-list: each is one byte.
///
/// `0xC2 0xA1 …` (set the date and time) and every other byte sequence can never be
/// transmitted.
public enum GlucoMenAreoCommand: UInt8, Sendable, CaseIterable {
    /// Meter information: one line of five fields (serial in the fourth, firmware in the fifth).
    case info = 0xA2
    /// Every stored reading.
    case readings = 0x80

    /// The bytes on the wire: the command byte alone.
    public var bytes: [UInt8] { [rawValue] }

    /// Whether `bytes` are exactly one allowed command.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        allCases.contains { $0.bytes == bytes }
    }
}
