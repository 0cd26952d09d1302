public import PocGateCore

/// A numeric value of IEEE 11073-20601: SFLOAT-Type (16 bit: 4-bit signed exponent, 12-bit
/// signed mantissa) or FLOAT-Type (32 bit: 8-bit signed exponent, 24-bit signed mantissa);
/// the value is mantissa × 10^exponent, held exactly (never as binary floating point).
public enum IEEE11073Number: Sendable, Hashable, CustomStringConvertible {
    /// A number.
    case value(ExactDecimal)
    /// NaN: not a number (the device has no value, e.g. not measured).
    case notANumber
    /// NRes: not at this resolution (the value does not fit the encoding).
    case notAtThisResolution
    /// +INFINITY.
    case positiveInfinity
    /// −INFINITY.
    case negativeInfinity
    /// A mantissa reserved for future use.
    case reserved
    /// A finite value whose exponent puts it beyond what pocgate stores exactly (more than 18
    /// decimals, or more than 18 digits).
    case outOfRange(mantissa: Int32, exponent: Int8)

    /// The exact value, or nil for every special value.
    public var exact: ExactDecimal? {
        if case let .value(v) = self { return v }
        return nil
    }

    public var description: String {
        switch self {
        case let .value(v): return v.description
        case .notANumber: return "NaN (not a number)"
        case .notAtThisResolution: return "NRes (not at this resolution)"
        case .positiveInfinity: return "+INF"
        case .negativeInfinity: return "-INF"
        case .reserved: return "a reserved special value"
        case let .outOfRange(m, e): return "\(m)e\(e) (beyond what pocgate stores exactly)"
        }
    }

    /// Decodes a 16-bit SFLOAT.
    public static func sfloat(_ raw: UInt16) -> IEEE11073Number {
        let rawMantissa = Int32(raw & 0x0FFF)
        switch rawMantissa {
        case 0x07FF: return .notANumber
        case 0x0800: return .notAtThisResolution
        case 0x07FE: return .positiveInfinity
        case 0x0802: return .negativeInfinity
        case 0x0801: return .reserved
        default: break
        }
        let mantissa = rawMantissa >= 0x0800 ? rawMantissa - 0x1000 : rawMantissa
        let e4 = Int8(raw >> 12)
        let exponent = e4 >= 8 ? e4 - 16 : e4
        return make(mantissa: mantissa, exponent: exponent)
    }

    /// Decodes a 32-bit FLOAT.
    public static func float(_ raw: UInt32) -> IEEE11073Number {
        let rawMantissa = Int32(raw & 0x00FF_FFFF)
        switch rawMantissa {
        case 0x7F_FFFF: return .notANumber
        case 0x80_0000: return .notAtThisResolution
        case 0x7F_FFFE: return .positiveInfinity
        case 0x80_0002: return .negativeInfinity
        case 0x80_0001: return .reserved
        default: break
        }
        let mantissa = rawMantissa >= 0x80_0000 ? rawMantissa - 0x100_0000 : rawMantissa
        let exponent = Int8(bitPattern: UInt8(raw >> 24))
        return make(mantissa: mantissa, exponent: exponent)
    }

    /// m × 10^e as an exact decimal: a negative exponent becomes the scale, a positive one
    /// multiplies the mantissa.
    static func make(mantissa: Int32, exponent: Int8) -> IEEE11073Number {
        if exponent < 0 {
            let scale = -Int(exponent)
            guard scale <= 18 else { return .outOfRange(mantissa: mantissa, exponent: exponent) }
            return .value(ExactDecimal(mantissa: Int64(mantissa), scale: UInt8(scale)))
        }
        var m = Int64(mantissa)
        for _ in 0..<Int(exponent) {
            let (next, overflow) = m.multipliedReportingOverflow(by: 10)
            guard !overflow, next.magnitude < 1_000_000_000_000_000_000 else {
                return .outOfRange(mantissa: mantissa, exponent: exponent)
            }
            m = next
        }
        return .value(ExactDecimal(mantissa: m, scale: 0))
    }
}
