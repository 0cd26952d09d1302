public import PocGateCore

/// Token E2: `test result dataHigh dataLow`.
///
/// `test` is 01 glucose, 02 uric acid, 03 cholesterol (BeneCheck) or ketone (Lepu). In the
/// result byte, bit 7 set means the meter holds no record; bits 5–4 non-zero mean LO (1) or
/// HI (2) and the data bytes are void; bit 0 is the unit: 0 mmol/L with the value as four
/// packed BCD digits in tenths (`00 82` = 8.2), 1 mg/dL with the value a big-endian integer
/// (`00 82` = 130). Reading one encoding as the other is off by a factor of about 18 for
/// glucose, which is why the unit bit alone chooses the decoding.
public struct AA55StripResult: Sendable, Equatable {
    public var test: UInt8
    public var result: UInt8
    public var high: UInt8
    public var low: UInt8

    public init(test: UInt8, result: UInt8, high: UInt8, low: UInt8) {
        self.test = test
        self.result = result
        self.high = high
        self.low = low
    }

    init(_ b: InlineBytes) {
        self.init(test: b[0], result: b[1], high: b[2], low: b[3])
    }

    /// Bit 7: the meter reported no stored result.
    public var noRecord: Bool { result & 0x80 != 0 }
    /// Bits 5–4: 0 value, 1 LO, 2 HI, 3 undocumented.
    public var rangeCode: UInt8 { (result >> 4) & 0x03 }
    /// Bit 0: the value is in mg/dL (big-endian) rather than mmol/L (BCD).
    public var isMassUnit: Bool { result & 0x01 != 0 }

    /// The data bytes as a big-endian integer (the mg/dL encoding).
    public var bigEndian: Int { Int(high) << 8 | Int(low) }

    /// The data bytes as four packed BCD digits (the mmol/L encoding), or nil when a nibble is
    /// above 9.
    public var bcd: Int? {
        let digits = [high >> 4, high & 0x0F, low >> 4, low & 0x0F]
        guard digits.allSatisfy({ $0 <= 9 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1) }
    }
}

/// What a strip test code means, once the fitted meter is known.
public enum AA55StripAnalyte: Sendable, Equatable {
    case glucose
    case uricAcid
    case cholesterol
    case ketone

    /// The analyte for `test` given the meter kind the kiosk reported (token E0): test 03 is
    /// cholesterol on a BeneCheck (kind 02) and ketone on a Lepu (kind 04); on any other meter,
    /// or when the kind was not reported, it cannot be told and is nil.
    public static func of(test: UInt8, meterKind: UInt8?) -> AA55StripAnalyte? {
        switch test {
        case 0x01: return .glucose
        case 0x02: return .uricAcid
        case 0x03:
            switch meterKind {
            case 0x02: return .cholesterol
            case 0x04: return .ketone
            default: return nil
            }
        default: return nil
        }
    }

    /// The observation kind.
    public var kind: ObservationKind {
        switch self {
        case .glucose: return .glucose
        case .uricAcid: return .uricAcid
        case .cholesterol: return .cholesterol
        case .ketone: return .ketone
        }
    }

    /// The value and UCUM unit `r` encodes, or nil when this analyte has no documented value in
    /// that unit (ketone in mg/dL) or the BCD digits are not digits.
    ///
    /// Glucose, cholesterol and ketone: mmol/L = BCD ÷ 10, mg/dL = the integer. Uric acid is
    /// sent ten times larger: mg/dL = integer ÷ 10, and mmol/L = BCD ÷ 100, which is stated
    /// exactly in µmol/L (× 1000), the unit uric acid is coded in.
    public func value(_ r: AA55StripResult) -> (value: ExactDecimal, unit: String)? {
        if r.isMassUnit {
            switch self {
            case .glucose, .cholesterol: return (ExactDecimal(r.bigEndian), "mg/dL")
            case .uricAcid: return (ExactDecimal(mantissa: Int64(r.bigEndian), scale: 1), "mg/dL")
            case .ketone: return nil
            }
        }
        guard let digits = r.bcd else { return nil }
        switch self {
        case .glucose, .cholesterol, .ketone: return (ExactDecimal(mantissa: Int64(digits), scale: 1), "mmol/L")
        case .uricAcid: return (ExactDecimal(digits * 10), "umol/L")
        }
    }
}
