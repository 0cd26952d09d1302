/// What a reading measures, with the LOINC code and UCUM unit the center receives.
///
/// LOINC codes a property (mass or substance concentration), so each analyte has one code per
/// kind of unit; docs/CODES.md lists every code and its source.
public enum ObservationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Capillary blood glucose measured by a meter.
    case glucose
    /// Total cholesterol (kiosk / multi-analyte strip meters).
    case cholesterol
    /// Triglycerides (kiosk / multi-analyte strip meters).
    case triglycerides
    /// Uric acid (urate) (kiosk / multi-analyte strip meters).
    case uricAcid = "uric-acid"

    /// The LOINC code for this kind in the given UCUM unit, or nil when the pair is not one
    /// pocgate knows how to code. Fingerstick meters: 41653-7 (mass), 14743-9 (molar).
    public func loincCode(unit: String) -> String? {
        Self.table[self]?.first { $0.unit == unit }?.code
    }

    /// The LOINC display text for `loincCode(unit:)`.
    public func loincDisplay(unit: String) -> String? {
        Self.table[self]?.first { $0.unit == unit }?.display
    }

    /// (UCUM unit, LOINC code, LOINC long common name) per kind.
    private static let table: [ObservationKind: [(unit: String, code: String, display: String)]] = [
        .glucose: [("mg/dL", "41653-7", "Glucose [Mass/volume] in Capillary blood by Glucometer"),
                   ("mmol/L", "14743-9", "Glucose [Moles/volume] in Capillary blood by Glucometer")],
        .cholesterol: [("mg/dL", "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"),
                       ("mmol/L", "14647-2", "Cholesterol [Moles/volume] in Serum or Plasma")],
        .triglycerides: [("mg/dL", "2571-8", "Triglyceride [Mass/volume] in Serum or Plasma"),
                         ("mmol/L", "14927-8", "Triglyceride [Moles/volume] in Serum or Plasma")],
        .uricAcid: [("mg/dL", "3084-1", "Urate [Mass/volume] in Serum or Plasma"),
                    ("umol/L", "14933-6", "Urate [Moles/volume] in Serum or Plasma")],
    ]
}
