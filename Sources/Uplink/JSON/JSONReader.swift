/// A JSON number that is not a whole number fitting `Int`, kept as its exact text
/// (`6.2`, `1e3`, `120.0`): a measured value is never rounded through a binary float.
public struct JSONNumberText: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var description: String { text }
}

/// Reads JSON text (RFC 8259) into the plain values the gateway's answers are inspected
/// with: `[String: Any]`, `[Any]`, `String`, `Int`, `JSONNumberText`, `Bool` and `NSNull`-free
/// `JSONReader.null`. Linear in the input; nesting deeper than `maximumDepth` is refused.
public enum JSONReader {
    /// Deeper than any FHIR resource or server answer nests.
    public static let maximumDepth = 128

    /// JSON's `null`.
    public struct Null: Sendable, Hashable {}
    public static let null = Null()

    /// The value of `bytes`, or nil when they are not one JSON value.
    public static func parse(_ bytes: some Collection<UInt8>) -> Any? {
        let array = Array(bytes)
        var parser = Parser(bytes: array)
        parser.skipSpace()
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.at == array.count ? value : nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        mutating func take(_ c: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == c else { return false }
            at += 1
            return true
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard at + n <= bytes.count else { return false }
            for i in 0..<n where bytes[at + i] != word.utf8Start[i] { return false }
            at += n
            return true
        }

        mutating func value(depth: Int) -> Any? {
            guard depth < JSONReader.maximumDepth, at < bytes.count else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true") ? true : nil
            case UInt8(ascii: "f"): return literal("false") ? false : nil
            case UInt8(ascii: "n"): return literal("null") ? JSONReader.null : nil
            default: return number()
            }
        }

        mutating func object(depth: Int) -> [String: Any]? {
            at += 1
            var result: [String: Any] = [:]
            skipSpace()
            if take(UInt8(ascii: "}")) { return result }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                guard let v = value(depth: depth) else { return nil }
                result[key] = v
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}")) ? result : nil
            }
        }

        mutating func array(depth: Int) -> [Any]? {
            at += 1
            var result: [Any] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return result }
            while true {
                skipSpace()
                guard let v = value(depth: depth) else { return nil }
                result.append(v)
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]")) ? result : nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[at]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
                at += 1
            }
            return v
        }

        mutating func string() -> String? {
            at += 1
            var out: [UInt8] = []
            var start = at
            while at < bytes.count {
                let c = bytes[at]
                if c == UInt8(ascii: "\"") {
                    out.append(contentsOf: bytes[start..<at])
                    at += 1
                    return String(validating: out, as: UTF8.self)
                }
                if c < 0x20 { return nil }
                if c != UInt8(ascii: "\\") { at += 1; continue }
                out.append(contentsOf: bytes[start..<at])
                at += 1
                guard at < bytes.count else { return nil }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: return nil
                }
                start = at
            }
            return nil
        }

        mutating func number() -> Any? {
            let start = at
            _ = take(UInt8(ascii: "-"))
            func digits() -> Int {
                let s = at
                while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
                return at - s
            }
            let intDigits = digits()
            guard intDigits > 0, !(intDigits > 1 && bytes[at - intDigits] == 0x30) else { return nil }
            var whole = true
            if take(UInt8(ascii: ".")) {
                guard digits() > 0 else { return nil }
                whole = false
            }
            if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
                at += 1
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard digits() > 0 else { return nil }
                whole = false
            }
            let text = String(decoding: bytes[start..<at], as: UTF8.self)
            if whole, let v = Int(text) { return v }
            return JSONNumberText(text: text)
        }
    }
}
