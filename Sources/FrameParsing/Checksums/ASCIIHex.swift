/// Checksums that travel as ASCII hex digits (ASTM's two digits, Ultra 2's and FreeStyle's
/// four): parsing them in place from the received bytes and writing them for outgoing text.
public enum ASCIIHex {
    /// The value of one ASCII hex digit (either case), or nil.
    @inlinable
    public static func digit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        default: return nil
        }
    }

    /// `count` (1…4) hex digits at `offset`, or nil when one is not a hex digit or out of range.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> UInt16? {
        guard count >= 1, count <= 4, offset >= 0, offset + count <= bytes.count else { return nil }
        var v: UInt16 = 0
        for i in offset..<(offset + count) {
            guard let d = digit(bytes[i]) else { return nil }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    /// The uppercase ASCII digit for a nibble.
    @inlinable
    public static func uppercase(_ nibble: UInt8) -> UInt8 {
        let n = nibble & 0x0F
        return n < 10 ? UInt8(ascii: "0") + n : UInt8(ascii: "A") + n - 10
    }

    /// Two uppercase hex digits (the ASTM checksum form, `BF`).
    public static func encode2(_ value: UInt8) -> [UInt8] {
        [uppercase(value >> 4), uppercase(value)]
    }

    /// Four uppercase hex digits (the Ultra 2 and FreeStyle form, `05A6`).
    public static func encode4(_ value: UInt16) -> [UInt8] {
        [uppercase(UInt8(value >> 12)), uppercase(UInt8(value >> 8 & 0xF)), uppercase(UInt8(value >> 4 & 0xF)), uppercase(UInt8(value & 0xF))]
    }
}
