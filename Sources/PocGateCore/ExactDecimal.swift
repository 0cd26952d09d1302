/// A decimal number held exactly as a device reported it: `mantissa × 10^-scale`.
///
/// Clinical values are never stored as binary floating point: 5.6 mmol/L stays 56 × 10⁻¹,
/// so what the device sent is what the store holds and the center receives.
public struct ExactDecimal: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The digits, as an integer.
    public var mantissa: Int64
    /// How many of those digits stand after the decimal point (0 for an integer).
    public var scale: UInt8

    public init(mantissa: Int64, scale: UInt8 = 0) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// An integer value.
    public init(_ integer: Int) {
        self.init(mantissa: Int64(integer), scale: 0)
    }

    /// Parses a plain decimal literal such as `120`, `-3`, `5.60`. Returns nil for anything else.
    public init?(parsing text: String) {
        self.init(parsingASCII: text.utf8)
    }

    /// Parses a plain decimal literal from its ASCII bytes (a field of a device's record read in
    /// place, without making a String first); the same rules as `init(parsing:)`.
    @inlinable
    public init?<Bytes: Collection>(parsingASCII bytes: Bytes) where Bytes.Element == UInt8 {
        var digits: Int64 = 0
        var scale: UInt8 = 0
        var seenPoint = false
        var seenDigit = false
        var negative = false
        var first = true
        for ch in bytes {
            defer { first = false }
            switch ch {
            case UInt8(ascii: "-") where first: negative = true
            case UInt8(ascii: "."):
                if seenPoint { return nil }
                seenPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (m1, o1) = digits.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(ch - UInt8(ascii: "0")))
                if o1 || o2 || scale == 18 { return nil }
                digits = m2
                seenDigit = true
                if seenPoint { scale += 1 }
            default: return nil
            }
        }
        guard seenDigit else { return nil }
        self.init(mantissa: negative ? -digits : digits, scale: scale)
    }

    /// The canonical text: `120`, `5.6` is written as `5.6` with exactly `scale` decimals.
    public var description: String {
        guard scale > 0 else { return String(mantissa) }
        let negative = mantissa < 0
        var digits = String(mantissa.magnitude)
        let width = Int(scale) + 1
        if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -Int(scale))
        return (negative ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    /// The value as a Double, for display and comparisons only — never for storage.
    public var doubleValue: Double {
        var d = Double(mantissa)
        for _ in 0..<scale { d /= 10 }
        return d
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ExactDecimal(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a decimal: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
