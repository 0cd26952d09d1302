/// Writes plain values (`[String: Any]` with keys sorted, `[Any]`, `String`, `Bool`, integers,
/// `JSONNumberText`, `JSONReader.null`) as compact JSON text, escaping as Foundation's
/// `JSONSerialization` does so existing outputs stay byte for byte the same.
public enum JSONWriter {
    /// The JSON text of `value`; a value of any other type is written as `null`.
    public static func text(_ value: Any, escapingSlashes: Bool = true) -> String {
        var out: [UInt8] = []
        write(value, into: &out, escapingSlashes: escapingSlashes)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: Any, into out: inout [UInt8], escapingSlashes: Bool) {
        switch value {
        case let s as String: quote(s, into: &out, escapingSlashes: escapingSlashes)
        case let b as Bool: out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case let i as Int: out.append(contentsOf: Array(String(i).utf8))
        case let i as Int64: out.append(contentsOf: Array(String(i).utf8))
        case let i as Int32: out.append(contentsOf: Array(String(i).utf8))
        case let i as UInt64: out.append(contentsOf: Array(String(i).utf8))
        case let n as JSONNumberText: out.append(contentsOf: Array(n.text.utf8))
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (i, key) in object.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                quote(key, into: &out, escapingSlashes: escapingSlashes)
                out.append(UInt8(ascii: ":"))
                write(object[key]!, into: &out, escapingSlashes: escapingSlashes)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (i, item) in array.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out, escapingSlashes: escapingSlashes)
            }
            out.append(UInt8(ascii: "]"))
        default: out.append(contentsOf: Array("null".utf8))
        }
    }

    private static func quote(_ s: String, into out: inout [UInt8], escapingSlashes: Bool) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case UInt8(ascii: "/") where escapingSlashes: out.append(contentsOf: [0x5C, 0x2F])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
