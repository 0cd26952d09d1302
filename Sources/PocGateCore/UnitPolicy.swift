/// Which UCUM unit the center receives each analyte in (`uplink.units` in the configuration).
/// An analyte without an entry is sent as the device reported it.
public struct UnitPolicy: Sendable, Hashable {
    /// The wanted unit per analyte; a missing analyte is sent as reported.
    public var targets: [ObservationKind: String]

    public init(targets: [ObservationKind: String]) { self.targets = targets }

    /// What Chinese data centers expect: SI units (mmol/L; µmol/L for uric acid).
    public static let chinaDefault = UnitPolicy(targets: [.glucose: "mmol/L", .cholesterol: "mmol/L",
                                                          .triglycerides: "mmol/L", .uricAcid: "umol/L"])
    /// Every analyte as the device reported it.
    public static let asReported = UnitPolicy(targets: [:])

    /// The units `kind` may be sent in: its mass and molar unit, or the units it is coded in
    /// when it has no conversion.
    public static func allowedUnits(for kind: ObservationKind) -> [String] {
        guard let conversion = AnalyteConversion.forKind(kind) else { return kind.codedUnits }
        return [conversion.massUnit, conversion.molarUnit]
    }

    /// The quantity to upload for `reading`: converted to the wanted unit (a bound of an
    /// out-of-range result rounded outwards so the comparison stays true), or the device's own
    /// value and unit when no unit is wanted or the conversion is not possible.
    public func quantity(for reading: Reading) -> UploadQuantity {
        let reported = UploadQuantity(value: reading.value, unit: reading.unit,
                                      code: reading.kind.loincCode(unit: reading.unit) ?? reading.code,
                                      display: reading.kind.loincDisplay(unit: reading.unit), converted: false)
        guard let target = targets[reading.kind], target != reading.unit else { return reported }
        let rounding: DecimalRounding = reading.flags.contains(.aboveRange) ? .floor
            : reading.flags.contains(.belowRange) ? .ceiling : .halfEven
        guard let value = AnalyteConversion.forKind(reading.kind)?.convert(reading.value, from: reading.unit, to: target,
                                                                          rounding: rounding),
              let code = reading.kind.loincCode(unit: target) else { return reported }
        return UploadQuantity(value: value, unit: target, code: code, display: reading.kind.loincDisplay(unit: target),
                              converted: true)
    }
}

/// The value, unit and LOINC code a reading is uploaded with.
public struct UploadQuantity: Sendable, Hashable {
    /// The value in `unit`.
    public var value: ExactDecimal
    /// UCUM unit.
    public var unit: String
    /// LOINC code matching `unit`.
    public var code: String
    /// LOINC display text, when known.
    public var display: String?
    /// Whether `value` was converted from the device's unit (the original then travels alongside).
    public var converted: Bool

    public init(value: ExactDecimal, unit: String, code: String, display: String?, converted: Bool) {
        self.value = value
        self.unit = unit
        self.code = code
        self.display = display
        self.converted = converted
    }
}
