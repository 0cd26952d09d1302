/// What a reading measures, with the LOINC code and UCUM unit the center receives.
public enum ObservationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Capillary blood glucose measured by a meter.
    case glucose

    /// The LOINC code for this kind in the given UCUM unit, or nil when the pair is not one
    /// pocgate knows how to code. Fingerstick meters: 41653-7 (mass), 14743-9 (molar).
    public func loincCode(unit: String) -> String? {
        switch (self, unit) {
        case (.glucose, "mg/dL"): return "41653-7"
        case (.glucose, "mmol/L"): return "14743-9"
        default: return nil
        }
    }

    /// The LOINC display text for `loincCode(unit:)`.
    public func loincDisplay(unit: String) -> String? {
        switch (self, unit) {
        case (.glucose, "mg/dL"): return "Glucose [Mass/volume] in Capillary blood by Glucometer"
        case (.glucose, "mmol/L"): return "Glucose [Moles/volume] in Capillary blood by Glucometer"
        default: return nil
        }
    }
}
