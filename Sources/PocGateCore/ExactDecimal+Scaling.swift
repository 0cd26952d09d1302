extension ExactDecimal {
    /// `self × numerator ÷ denominator`, rounded to `scale` decimals by `rounding`, computed with
    /// integers only (no binary floating point): the exact rational value is
    /// `mantissa × numerator × 10^scale ÷ (denominator × 10^self.scale)`, divided once and rounded
    /// on its remainder. Returns nil when `denominator` is not positive or the result does not fit.
    public func scaled(by numerator: Int64, over denominator: Int64, toScale scale: UInt8,
                       rounding: DecimalRounding) -> ExactDecimal? {
        guard denominator > 0, scale <= 18, self.scale <= 18 else { return nil }
        let (top1, o1) = Int128(mantissa).multipliedReportingOverflow(by: Int128(numerator))
        let (top, o2) = top1.multipliedReportingOverflow(by: Self.power(scale))
        let (bottom, o3) = Int128(denominator).multipliedReportingOverflow(by: Self.power(self.scale))
        guard !o1, !o2, !o3 else { return nil }
        var (quotient, remainder) = top.quotientAndRemainder(dividingBy: bottom)
        if remainder != 0 {
            // `quotientAndRemainder` truncates towards zero: the remainder has the sign of `top`.
            let positive = remainder > 0
            switch rounding {
            case .floor:
                if !positive { quotient -= 1 }
            case .ceiling:
                if positive { quotient += 1 }
            case .halfEven:
                let twice = remainder.magnitude * 2
                if twice > bottom.magnitude || (twice == bottom.magnitude && quotient % 2 != 0) {
                    quotient += positive ? 1 : -1
                }
            }
        }
        guard let result = Int64(exactly: quotient) else { return nil }
        return ExactDecimal(mantissa: result, scale: scale)
    }

    /// 10^exponent for exponent ≤ 18.
    private static func power(_ exponent: UInt8) -> Int128 {
        var value: Int128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}

extension ExactDecimal: Comparable {
    /// Numeric order (`5.60 == 5.6` in value, though not as `Hashable` values): both brought to
    /// the larger scale in 128-bit integers, which cannot overflow for scales up to 18.
    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        let scale = max(a.scale, b.scale)
        return Int128(a.mantissa) * power(scale - a.scale) < Int128(b.mantissa) * power(scale - b.scale)
    }
}
