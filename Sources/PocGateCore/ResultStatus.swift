/// Where a result stands in its life, as the device declared it (HL7 v2 OBX-11, table 0085;
/// ASTM E1394 result field 9). Stored with the reading and uploaded as FHIR `Observation.status`.
///
/// Statuses that are not results at all (HL7 `N` not asked, `O` order detail only, `X` cannot
/// be obtained, `D` delete, `I` pending; ASTM `X`, `I`) never become readings.
public enum ResultStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// A final (verified) result: HL7 `F` and `U`, ASTM `F`, or no status sent.
    case final
    /// A preliminary result that may still change: HL7 `P`, `R`, `S`; ASTM `P`, `R`.
    case preliminary
    /// A correction of a result sent before (HL7 `C`, ASTM `C`): it amends that reading.
    case corrected
    /// The result sent before was wrong and must be withdrawn (HL7 `W`, ASTM `W`).
    case enteredInError = "entered-in-error"

    /// Whether the reading amends an earlier one (same observation identity).
    public var amends: Bool { self == .corrected || self == .enteredInError }
}

/// Why a reading is held back from upload for its value: stored, shown by `pocgate queue`, never
/// sent until a person looked at it. Stored as the outbox `held_reason`.
public enum ValueHold: String, Sendable, Hashable, Codable, CaseIterable {
    /// The value is outside the analyte's physiological plausibility range (the analyte table,
    /// docs/CODES.md "Plausibility"): a unit mix-up, a decimal error or a broken device.
    case implausibleValue = "implausible-value"
    /// The device itself flagged the result's validity as questionable (ASTM E1394 result
    /// status `W`).
    case deviceWarning = "device-warning"
}
