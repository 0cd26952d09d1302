public import PocGateCore

/// The `pocgate replay --format ndjson` line for one reading: the parser's public contract.
///
/// Keys, in this order: `profile, device, code, kind, value, unit, time, flags`. `value` is a
/// JSON number written from the exact decimal, `time` is ISO 8601 as the device reported it.
public enum ReadingJSON {
    public static func line(_ r: Reading) -> String {
        var s = "{"
        s += "\"profile\":\(quote(r.profileID)),"
        s += "\"device\":\(quote(r.deviceSerial)),"
        s += "\"code\":\(quote(r.code)),"
        s += "\"kind\":\(quote(r.kind.rawValue)),"
        s += "\"value\":\(r.value.description),"
        s += "\"unit\":\(quote(r.unit)),"
        s += "\"time\":\(quote(r.deviceTime.description)),"
        s += "\"flags\":[\(r.flags.map { quote($0.rawValue) }.joined(separator: ","))]"
        return s + "}"
    }

    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
