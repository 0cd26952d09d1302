/// A JSON value written exactly: numbers keep the literal text they were given, so a clinical
/// value such as `5.60` is sent as `5.60`, never rounded through a binary Double.
enum JSONText: Sendable, Equatable {
    case object([String: JSONText])
    case array([JSONText])
    case string(String)
    /// A JSON number literal, written verbatim (must already be valid JSON number syntax).
    case number(String)
    case bool(Bool)
    case null

    /// The compact JSON text, object keys sorted so the same value always gives the same bytes.
    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .object(let members):
            out.append("{")
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out.append(",") }
                Self.writeString(key, into: &out)
                out.append(":")
                members[key]!.write(into: &out)
            }
            out.append("}")
        case .array(let items):
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(",") }
                item.write(into: &out)
            }
            out.append("]")
        case .string(let s): Self.writeString(s, into: &out)
        case .number(let literal): out.append(literal)
        case .bool(let b): out.append(b ? "true" : "false")
        case .null: out.append("null")
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}
