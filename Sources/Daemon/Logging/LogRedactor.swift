public import Logging

/// Keeps patient identifiers out of every log line: both log backends pass each message and
/// metadata value through it before writing.
///
/// - Anything shaped like a Chinese resident identity number (`[0-9]{17}[0-9Xx]`, GB 11643)
///   is masked wherever it appears, keeping the first 4 and last 2 characters:
///   `110101190001010014` → `1101************14`. A longer run of digits is masked until no
///   18-character match is left.
/// - The value of a metadata key that names a patient identifier (`patient`, `resident_id`,
///   `id_card`, `id_number`, …) is masked the same way whatever its shape; a short value is
///   masked entirely.
public struct LogRedactor: Sendable {
    /// Key fragments (lower case, `_` and `-` ignored) whose values are always masked.
    public static let sensitiveKeyFragments = ["patient", "residentid", "resident", "idcard", "idnumber", "citizenid", "nationalid"]

    public init() {}

    /// `text` with every resident-ID-shaped run masked.
    public func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 18, Self.maskIDs(&bytes) else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Masks every metadata value: fully for sensitive keys, by pattern for the others.
    public func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var out = metadata
        for (key, value) in metadata {
            out[key] = Self.isSensitive(key: key) ? .string(Self.maskWhole(Self.flatten(value))) : redact(value)
        }
        return out
    }

    /// A metadata value with resident-ID-shaped text masked, keeping its structure.
    public func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let s): return .string(redact(s))
        case .stringConvertible(let c): return .string(redact(c.description))
        case .array(let items): return .array(items.map { redact($0) })
        case .dictionary(let d): return .dictionary(redact(d))
        }
    }

    /// Whether `key` names a patient identifier.
    public static func isSensitive(key: String) -> Bool {
        let folded = key.lowercased().filter { $0 != "_" && $0 != "-" }
        return sensitiveKeyFragments.contains { folded.contains($0) }
    }

    /// The first 4 and last 2 characters kept, the rest `*`; values under 10 characters are
    /// masked entirely (keeping 6 of them would reveal most of the value).
    package static func maskWhole(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count >= 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(4)) + String(repeating: "*", count: chars.count - 6) + String(chars.suffix(2))
    }

    private static func flatten(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array, .dictionary: return value.description
        }
    }

    /// Masks every match of `[0-9]{17}[0-9Xx]`, leftmost first, in one pass over the bytes
    /// as they are being masked, so no match is left afterwards (not even one that spans the
    /// kept end of a masked number); true when it changed anything. Masking keeps the length
    /// and only writes ASCII, so UTF-8 stays valid.
    package static func maskIDs(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        var run = 0  // consecutive digits ending just before `i`
        for i in bytes.indices {
            let b = bytes[i]
            if run >= 17, isDigit(b) || b == UInt8(ascii: "X") || b == UInt8(ascii: "x") {
                let start = i - 17
                for j in (start + 4)...(start + 15) { bytes[j] = UInt8(ascii: "*") }
                changed = true
                // Left unmasked: the digit at start + 16 and `b`.
                run = isDigit(b) ? 2 : 0
            } else {
                run = isDigit(b) ? run + 1 : 0
            }
        }
        return changed
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
