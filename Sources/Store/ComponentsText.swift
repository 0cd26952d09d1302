public import PocGateCore

/// The `readings.components` column: a panel's parts as JSON text,
/// `[{"kind":"systolic-pressure","code":"8480-6","value":"120","unit":"mm[Hg]"},…]`, every value
/// a JSON string (the exact decimal as written, never a binary number); NULL for no components.
public enum ComponentsText {
    /// The column text for `components`; nil when there are none.
    public static func encode(_ components: [ReadingComponent]) -> String? {
        guard !components.isEmpty else { return nil }
        return "[" + components.map { c in
            "{\"kind\":\(quote(c.kind.rawValue)),\"code\":\(quote(c.code)),\"value\":\(quote(c.value.description)),\"unit\":\(quote(c.unit))}"
        }.joined(separator: ",") + "]"
    }

    /// The components a column text holds; nil when the text is not what `encode` writes.
    public static func decode(_ text: String) -> [ReadingComponent]? {
        var parser = Parser(bytes: Array(text.utf8))
        return parser.components()
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where ch.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(ch.value, radix: 16).count) + String(ch.value, radix: 16)
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// A strict reader for the one shape `encode` writes.
    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func components() -> [ReadingComponent]? {
            guard eat("[") else { return nil }
            var out: [ReadingComponent] = []
            if eat("]") { return i == bytes.count ? out : nil }
            repeat {
                guard let fields = object(), let kindText = fields["kind"], let kind = ObservationKind(rawValue: kindText),
                      let code = fields["code"], let valueText = fields["value"], let value = ExactDecimal(parsing: valueText),
                      let unit = fields["unit"] else { return nil }
                out.append(ReadingComponent(kind: kind, code: code, value: value, unit: unit))
            } while eat(",")
            guard eat("]"), i == bytes.count else { return nil }
            return out
        }

        mutating func object() -> [String: String]? {
            guard eat("{") else { return nil }
            var fields: [String: String] = [:]
            repeat {
                guard let key = string(), eat(":"), let value = string() else { return nil }
                fields[key] = value
            } while eat(",")
            return eat("}") ? fields : nil
        }

        mutating func string() -> String? {
            guard eat("\"") else { return nil }
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard i < bytes.count else { return nil }
                    let e = bytes[i]
                    i += 1
                    if e == UInt8(ascii: "u") {
                        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(v) else { return nil }
                        out += Array(String(Character(scalar)).utf8)
                        i += 4
                    } else {
                        out.append(e)
                    }
                default: out.append(b)
                }
            }
            return nil
        }

        mutating func eat(_ ch: Character) -> Bool {
            guard i < bytes.count, bytes[i] == ch.asciiValue! else { return false }
            i += 1
            return true
        }
    }
}
