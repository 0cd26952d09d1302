/// One checked GlucoMen areo reply: `[` CR LF, content lines ended by CR LF, the checksum line
/// (two hex digits, CRC-8/MAXIM over every byte before it, the `[` line included), `]` CR LF.
public struct GlucoMenAreoBlock: Sendable, Hashable {
    /// The content lines without their CR LF, as received.
    public var lines: [[UInt8]]
    /// The carried (and matched) CRC-8/MAXIM.
    public var checksum: UInt8

    /// The single content line a readings reply holds when the memory is empty.
    public static let noReadingsLine: [UInt8] = [0x90, 0x3D]

    public init(lines: [[UInt8]], checksum: UInt8) {
        self.lines = lines
        self.checksum = checksum
    }

    /// Whether this is the readings reply of a meter with nothing stored.
    public var isNoReadings: Bool { lines == [Self.noReadingsLine] }

    /// The block as it is sent on the wire, its checksum computed: what a constructed capture
    /// or an emulator writes.
    public static func encode(lines: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [0x5B, 0x0D, 0x0A]
        for line in lines { out += line + [0x0D, 0x0A] }
        out += ASCIIHex.encode2(CRC8.maxim.checksum(out)) + [0x0D, 0x0A, 0x5D, 0x0D, 0x0A]
        return out
    }
}
