/// One LifeScan binary frame: `02 len link message… 03 crcLo crcHi`, where `len` counts the
/// whole frame and the CRC is CRC-16/CCITT-FALSE over STX … ETX, stored little-endian.
public struct LifeScanFrame: Sendable, Hashable {
    /// Start byte.
    public static let stx: UInt8 = 0x02
    /// End-of-message byte before the CRC.
    public static let etx: UInt8 = 0x03
    /// Bytes around the message: STX, length, link, ETX, two CRC bytes.
    public static let overhead = 6
    /// The longest frame the one-byte length can state.
    public static let maximumLength = 255

    /// The link-control byte.
    public var link: LifeScanLink
    /// The message: dialect prefix, then command or status and data. Empty for link-only frames.
    public var message: InlineBytes

    public init(link: LifeScanLink, message: InlineBytes = InlineBytes()) {
        self.link = link
        self.message = message
    }

    /// A frame carrying `message`; nil when it is longer than pocgate holds.
    public init?(link: LifeScanLink, message: [UInt8]) {
        guard let m = InlineBytes(message) else { return nil }
        self.init(link: link, message: m)
    }

    /// The bytes on the wire, CRC included.
    public var bytes: [UInt8] {
        var b: [UInt8] = [Self.stx, UInt8(message.count + Self.overhead), link.rawValue]
        b += message.array
        b.append(Self.etx)
        let crc = CRC16.ccittFalse.checksum(b)
        b += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        return b
    }
}
