/// One journal entry in systemd's native protocol: `NAME=value\n` per field, or, for a value
/// containing a newline, `NAME\n` + the value's length as 64-bit little endian + the value +
/// `\n`. Field names are upper case letters, digits and `_`, not starting with `_`.
package struct JournalEntry {
    /// Fields in order; a name may repeat.
    private(set) var fields: [(name: String, value: String)] = []

    /// Adds a field; `name` must already be a valid journal field name.
    package mutating func append(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// The datagram's bytes.
    package func encoded() -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in fields {
            out += name.utf8
            let bytes = Array(value.utf8)
            if bytes.contains(UInt8(ascii: "\n")) {
                out.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { out += $0 }
                out += bytes
            } else {
                out.append(UInt8(ascii: "="))
                out += bytes
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// A journal field name for a metadata key, with `prefix`: `device` → `POCGATE_DEVICE`,
    /// `reading_id` → `POCGATE_READING_ID`, `retryInMs` → `POCGATE_RETRY_IN_MS`. Other
    /// characters become `_`; the name is cut at journald's 64-character limit.
    package static func fieldName(for key: String, prefix: String = "POCGATE_") -> String {
        var name = prefix
        var previous: Character = "_"
        for c in key {
            if c.isUppercase, previous.isLowercase || previous.isNumber { name.append("_") }
            if c.isASCII, c.isLetter || c.isNumber {
                name += c.uppercased()
            } else if name.last != "_" {
                name.append("_")
            }
            previous = c
        }
        return String(name.prefix(64))
    }
}
