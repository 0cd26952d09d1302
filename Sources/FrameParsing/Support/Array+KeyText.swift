import PocGateCore

/// Hex, time, flag-list and value-list pieces of record keys, written into a reused byte buffer exactly as
/// `Hex.byte` and `LocalDateTime.description` write them (see also `appendTime` and
/// `appendDecimal` in ASTMResultKey.swift).
extension Array where Element == UInt8 {
    /// `Hex.byte(b)`: two uppercase hex digits.
    mutating func appendHex(_ b: UInt8) {
        append(Self.hexDigit(b >> 4))
        append(Self.hexDigit(b & 0x0F))
    }

    /// The first 16 characters of `LocalDateTime.description`: `YYYY-MM-DDTHH:MM`.
    mutating func appendMinuteStamp(_ t: LocalDateTime) {
        appendDecimal(t.year, width: 4); append(UInt8(ascii: "-"))
        appendDecimal(t.month, width: 2); append(UInt8(ascii: "-"))
        appendDecimal(t.day, width: 2); append(UInt8(ascii: "T"))
        appendDecimal(t.hour, width: 2); append(UInt8(ascii: ":"))
        appendDecimal(t.minute, width: 2)
    }

    /// `flags.map(\.rawValue).joined(separator: ",")`.
    mutating func appendFlagNames(_ flags: [ReadingFlag]) {
        for (i, f) in flags.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            appendText(f.rawValue)
        }
    }

    /// Each value's `description`, joined by `separator`.
    mutating func appendDecimals<Values: Sequence>(_ values: Values, separator: UInt8) where Values.Element == ExactDecimal {
        for (i, v) in values.enumerated() {
            if i > 0 { append(separator) }
            appendDecimal(v)
        }
    }

    /// The ASCII uppercase hex digit of `nibble` (0…15).
    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x37 + nibble
    }
}
