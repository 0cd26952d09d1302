/// The exact factor between an analyte's mass unit (mg/dL) and its molar unit, and how many
/// decimals each unit is reported with. Sources and precision: docs/CODES.md.
public struct AnalyteConversion: Sendable, Hashable {
    /// The analyte.
    public var kind: ObservationKind
    /// UCUM mass-concentration unit.
    public var massUnit: String
    /// UCUM substance-concentration unit.
    public var molarUnit: String
    /// One `molarUnit` is `massPerMolarNumerator / massPerMolarDenominator` `massUnit`.
    public var massPerMolarNumerator: Int64
    /// See `massPerMolarNumerator`.
    public var massPerMolarDenominator: Int64
    /// Decimals of a value converted to `massUnit`.
    public var massDecimals: UInt8
    /// Decimals of a value converted to `molarUnit`.
    public var molarDecimals: UInt8

    /// Glucose: 1 mmol/L = 18.016 mg/dL (M = 180.16 g/mol); meters display mmol/L with 1 decimal.
    public static let glucose = AnalyteConversion(kind: .glucose, massUnit: "mg/dL", molarUnit: "mmol/L",
                                                  massPerMolarNumerator: 18_016, massPerMolarDenominator: 1_000,
                                                  massDecimals: 0, molarDecimals: 1)
    /// Total cholesterol: 1 mmol/L = 38.67 mg/dL; 2 decimals in mmol/L.
    public static let cholesterol = AnalyteConversion(kind: .cholesterol, massUnit: "mg/dL", molarUnit: "mmol/L",
                                                      massPerMolarNumerator: 3_867, massPerMolarDenominator: 100,
                                                      massDecimals: 0, molarDecimals: 2)
    /// Triglycerides: 1 mmol/L = 88.57 mg/dL; 2 decimals in mmol/L.
    public static let triglycerides = AnalyteConversion(kind: .triglycerides, massUnit: "mg/dL", molarUnit: "mmol/L",
                                                        massPerMolarNumerator: 8_857, massPerMolarDenominator: 100,
                                                        massDecimals: 0, molarDecimals: 2)
    /// Uric acid: 1 mg/dL = 59.48 µmol/L, so 1 µmol/L = 1/59.48 mg/dL; µmol/L has no decimals.
    public static let uricAcid = AnalyteConversion(kind: .uricAcid, massUnit: "mg/dL", molarUnit: "umol/L",
                                                   massPerMolarNumerator: 100, massPerMolarDenominator: 5_948,
                                                   massDecimals: 1, molarDecimals: 0)

    /// The conversion for `kind`, or nil for kinds with a single unit (vital signs, ECG, ketone).
    public static func forKind(_ kind: ObservationKind) -> AnalyteConversion? {
        switch kind {
        case .glucose: return .glucose
        case .cholesterol: return .cholesterol
        case .triglycerides: return .triglycerides
        case .uricAcid: return .uricAcid
        default: return nil
        }
    }

    /// `value` in `unit` converted to `target`, rounded by `rounding` to the target unit's
    /// decimals; the value itself (unrounded) when `unit == target`; nil when either unit is
    /// not this analyte's or the result does not fit.
    public func convert(_ value: ExactDecimal, from unit: String, to target: String,
                        rounding: DecimalRounding = .halfEven) -> ExactDecimal? {
        if unit == target, unit == massUnit || unit == molarUnit { return value }
        switch (unit, target) {
        case (massUnit, molarUnit):
            return value.scaled(by: massPerMolarDenominator, over: massPerMolarNumerator, toScale: molarDecimals, rounding: rounding)
        case (molarUnit, massUnit):
            return value.scaled(by: massPerMolarNumerator, over: massPerMolarDenominator, toScale: massDecimals, rounding: rounding)
        default:
            return nil
        }
    }
}
