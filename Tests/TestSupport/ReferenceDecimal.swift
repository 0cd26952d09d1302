public import PocGateCore

/// A number as an independent implementation printed it: Python's `Decimal.as_tuple()`
/// (sign, digits, exponent), for comparing with pocgate's exact values digit for digit.
public struct ReferenceDecimal: Decodable, Sendable {
    public let sign: Int
    public let digits: String
    public let exponent: Int

    /// The same number as pocgate's exact decimal is defined (digits times ten to minus the
    /// scale); nil when it does not fit.
    public var exact: ExactDecimal? {
        guard var mantissa = Int64(digits) else { return nil }
        if sign == 1 { mantissa = -mantissa }
        guard exponent < 0 else {
            for _ in 0..<exponent {
                let (scaled, overflow) = mantissa.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                mantissa = scaled
            }
            return ExactDecimal(mantissa: mantissa, scale: 0)
        }
        guard -exponent <= Int(UInt8.max) else { return nil }
        return ExactDecimal(mantissa: mantissa, scale: UInt8(-exponent))
    }
}
