public import DeviceProfiles

/// The limits on the configuration file, so a careless or hostile file costs bounded memory
/// and time and every refusal is one short line (docs/OPERATIONS.md "Configuration limits").
public enum ConfigLimits {
    /// The largest configuration file read: a full configuration is about 2 KiB.
    public static let fileBytes = 64 * 1024
    /// The longest path (`store.path`, `profiles.paths` items, `uplink.ca_file`, …), in bytes:
    /// Linux's PATH_MAX less the terminating NUL.
    public static let pathBytes = 4095
    /// The longest URL (`uplink.url`, `uplink.proxy`) or URI (`patients.identifier_system`).
    public static let urlBytes = 2048
    /// The longest other text value (a Bluetooth name: 248 bytes in the Bluetooth core spec).
    public static let textBytes = 248
    /// The most items in `profiles.paths`.
    public static let profilePaths = 64
    /// The most entries in `bluetooth.devices`.
    public static let bluetoothDevices = 256
    /// The most columns of indentation and `- `/`? `/`: ` markers at the start of a line (a
    /// configuration needs about 8): bounds the nesting of block lists and mappings.
    public static let indentColumns = 64
    /// The most `[` and `{` in the file (quoted or not): bounds the nesting of flow lists and
    /// mappings (`[a, b]`, `{address: …, name: …}`).
    public static let flowOpeners = 1024
    /// The most characters of a value quoted in a message; longer ones are cut with `…`.
    public static let shownCharacters = 80
    /// The longest message of a refusal.
    public static let messageCharacters = 600

    /// `value` as quoted in a message: control characters escaped (`\r`, `\u{1B}`), at most
    /// `shownCharacters` characters, and its length in bytes when it was cut.
    public static func shown(_ value: String) -> String {
        // Already cut where it was read (YAMLMap, `ProfileLimits.quoted`), with its real length.
        if let mark = value.firstRange(of: "… ("), value.hasSuffix(" bytes)"), value[..<mark.lowerBound].count <= shownCharacters,
           Int(value[mark.upperBound...].dropLast(" bytes)".count)) != nil {
            return String(value[..<mark.lowerBound].unicodeScalars.map(escaped).joined()) + String(value[mark.lowerBound...])
        }
        var out = ""
        var count = 0
        for scalar in value.unicodeScalars {
            guard count < shownCharacters else {
                return out + "… (\(value.utf8.count) bytes)"
            }
            out += escaped(scalar)
            count += 1
        }
        return out
    }

    /// `issue` with every quoted value in its message cut by `shown` and the message bounded:
    /// the loader's messages quote what they refuse, and that may be megabytes or hold a CR.
    public static func bounded(_ issue: YAMLIssue) -> YAMLIssue {
        var issue = issue
        var out = ""
        var length = 0
        var quoted: String?
        func emit(_ text: String) {
            out += text
            length += text.unicodeScalars.count
        }
        for scalar in issue.message.unicodeScalars {
            if scalar == "'" {
                if let inner = quoted {
                    emit("'" + shown(inner) + "'")
                    quoted = nil
                } else {
                    quoted = ""
                }
            } else if quoted != nil {
                quoted!.unicodeScalars.append(scalar)
            } else {
                emit(escaped(scalar))
            }
            if length > messageCharacters { break }
        }
        if let inner = quoted, length <= messageCharacters { emit("'" + shown(inner)) }
        if length > messageCharacters {
            out = String(String.UnicodeScalarView(out.unicodeScalars.prefix(messageCharacters))) + "…"
        }
        issue.message = out
        issue.file = shown(issue.file)
        return issue
    }

    /// The first control character in `value` (C0, DEL, C1) with its position, if any: a CR or
    /// LF in a URL breaks every request, a NUL cuts a path where the C library reads it.
    package static func controlCharacter(in value: String) -> (scalar: Unicode.Scalar, offset: Int)? {
        for (i, scalar) in value.unicodeScalars.enumerated() where isControl(scalar) {
            return (scalar, i + 1)
        }
        return nil
    }

    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\0": return "\\0"
        default:
            return isControl(scalar) ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
        }
    }
}
