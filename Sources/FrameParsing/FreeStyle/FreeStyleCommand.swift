/// The FreeStyle Optium commands pocgate may send, as an allow-list.
///
/// `$tim,…` (set the clock) and every other command, including the not-understood ones found
/// by brute force, can never be transmitted.
public enum FreeStyleCommand: String, Sendable, CaseIterable {
    /// Device information (serial, version, unit, clock).
    case deviceInfo = "$colq"
    /// The memory dump.
    case memoryDump = "$xmem"

    /// The bytes on the wire: the command, CR, LF.
    public var bytes: [UInt8] { Array(rawValue.utf8) + [0x0D, 0x0A] }

    /// Whether `bytes` are exactly one allowed command as it is framed on the wire.
    public static func mayTransmit(_ bytes: [UInt8]) -> Bool {
        allCases.contains { $0.bytes == bytes }
    }
}
