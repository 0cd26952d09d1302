/// Hex formatting for logs, capture files and record keys.
public enum Hex {
    private static let digits: [Character] = Array("0123456789ABCDEF")

    /// Two uppercase hex digits.
    public static func byte(_ b: UInt8) -> String {
        String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
    }

    /// Bytes as uppercase hex separated by spaces: `51 22 00`.
    public static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        bytes.map(byte).joined(separator: " ")
    }

    /// Parses hex text, ignoring spaces, newlines, commas and `0x` prefixes; nil on anything else.
    public static func parse(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var high: UInt8?
        var chars = Array(text.utf8)[...]
        while let c = chars.popFirst() {
            if c == UInt8(ascii: "0"), chars.first == UInt8(ascii: "x") || chars.first == UInt8(ascii: "X"), high == nil {
                chars.removeFirst()
                continue
            }
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: ","):
                if high != nil { return nil }
                continue
            default: return nil
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return high == nil ? out : nil
    }
}
