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
    ///
    /// The LOINC code is the one the device sent (`Reading.code`), kept as sent; a conversion
    /// replaces it only by its partner for the same specimen and method (`LOINCPairs`), and is
    /// not made when the code has none. A reading whose device sent an MDC code (or none) gets
    /// its kind's LOINC code for the unit.
    public func quantity(for reading: Reading) -> UploadQuantity {
        // A sent code that LOINCPairs knows in the other kind of unit than the value's is
        // brought to the value's unit (the code must always name the unit actually sent).
        let sentLOINC = DeviceCode.isLOINC(reading.code)
            ? LOINCPairs.partner(of: reading.code, in: reading.unit)?.code ?? reading.code : nil
        let code = sentLOINC ?? reading.kind.loincCode(unit: reading.unit) ?? reading.code
        let reported = UploadQuantity(value: reading.value, unit: reading.unit, code: code,
                                      display: LOINCPairs.display(of: code), converted: false)
        guard let target = targets[reading.kind], target != reading.unit else { return reported }
        let rounding: DecimalRounding = reading.flags.contains(.aboveRange) ? .floor
            : reading.flags.contains(.belowRange) ? .ceiling : .halfEven
        let partner: (code: String, display: String)?
        if let sent = sentLOINC, sent != reading.kind.loincCode(unit: reading.unit) {
            partner = LOINCPairs.partner(of: sent, in: target)
        } else {
            partner = reading.kind.loincCode(unit: target).map { ($0, reading.kind.loincDisplay(unit: target) ?? "") }
        }
        guard let partner,
              let value = AnalyteConversion.forKind(reading.kind)?.convert(reading.value, from: reading.unit, to: target,
                                                                          rounding: rounding) else { return reported }
        return UploadQuantity(value: value, unit: target, code: partner.code, display: partner.display.isEmpty ? nil : partner.display,
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
