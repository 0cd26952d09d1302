/// Text that came from a device or a file (a serial number, a model name, an HL7 field, a
/// profile's strings) is data: written where a person or a log reads it, it must never move a
/// cursor, recolour a terminal, end a log line or hide what follows a NUL.
public enum DeviceText {
    /// The longest device serial or model kept; a longer one is cut, with a problem recorded.
    public static let maximumIdentityLength = 64

    /// `text` with every control character written visibly: `\n`, `\r`, `\t`, other C0 bytes
    /// and DEL as `\xHH` (NUL is `\x00`), C1 controls, line and paragraph separators and
    /// bidirectional overrides as `\u{HHHH}`. Other text, backslashes included, is unchanged,
    /// so ordinary text reads as before.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for u in text.unicodeScalars {
            guard needsEscape(u) else {
                out.unicodeScalars.append(u)
                continue
            }
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x80: out += "\\x" + hex(u.value, digits: 2)
            default: out += "\\u{" + hex(u.value, digits: 4) + "}"
            }
        }
        return out
    }

    /// Whether `u` is written as an escape by `escaped`.
    public static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// A device identity string (serial, model) as pocgate keeps it: control characters escaped
    /// (a NUL never cuts what follows it) and at most `maximumIdentityLength` characters. The
    /// second value says what was changed, for a problem line, or is nil.
    public static func identity(_ text: String, what: String) -> (text: String, problem: String?) {
        let visible = escaped(text)
        var notes: [String] = []
        if visible != text { notes.append("control characters written as escapes") }
        var kept = visible
        if visible.count > maximumIdentityLength {
            kept = String(visible.prefix(maximumIdentityLength))
            notes.append("cut from \(visible.count) to \(maximumIdentityLength) characters")
        }
        guard !notes.isEmpty else { return (text, nil) }
        return (kept, "device \(what) '\(String(kept.prefix(24)))…' changed: \(notes.joined(separator: ", "))")
    }

    /// `text` cut to at most `limit` characters, saying how much was cut.
    public static func bounded(_ text: String, limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let kept = String(decoding: Array(text.utf8.prefix(limit)), as: UTF8.self)
        return kept + "…(\(text.utf8.count - limit) more bytes cut)"
    }

    private static func hex(_ v: UInt32, digits: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
