/// The LOINC codes a device may send for the analytes pocgate converts between mass and molar
/// units, paired: the same component, specimen and method in the other kind of unit. When the
/// center wants the other unit (`uplink.units`), the code the device sent is replaced by its
/// partner; a code without a partner is sent in the device's own unit, never re-coded to a
/// different specimen or method. Sources: docs/CODES.md.
public enum LOINCPairs {
    /// (mass code, mass UCUM, molar code, molar UCUM, mass display, molar display).
    static let pairs: [(mass: String, massUnit: String, molar: String, molarUnit: String, massDisplay: String, molarDisplay: String)] = [
        ("41653-7", "mg/dL", "14743-9", "mmol/L", "Glucose [Mass/volume] in Capillary blood by Glucometer",
         "Glucose [Moles/volume] in Capillary blood by Glucometer"),
        ("2339-0", "mg/dL", "15074-8", "mmol/L", "Glucose [Mass/volume] in Blood", "Glucose [Moles/volume] in Blood"),
        ("2345-7", "mg/dL", "14749-6", "mmol/L", "Glucose [Mass/volume] in Serum or Plasma",
         "Glucose [Moles/volume] in Serum or Plasma"),
        ("2093-3", "mg/dL", "14647-2", "mmol/L", "Cholesterol [Mass/volume] in Serum or Plasma",
         "Cholesterol [Moles/volume] in Serum or Plasma"),
        ("2571-8", "mg/dL", "14927-8", "mmol/L", "Triglyceride [Mass/volume] in Serum or Plasma",
         "Triglyceride [Moles/volume] in Serum or Plasma"),
        ("3084-1", "mg/dL", "14933-6", "umol/L", "Urate [Mass/volume] in Serum or Plasma", "Urate [Moles/volume] in Serum or Plasma"),
    ]

    /// The partner of `code` in `unit`, with its display; nil when `code` has none in that unit.
    public static func partner(of code: String, in unit: String) -> (code: String, display: String)? {
        for p in pairs {
            if p.mass == code, p.molarUnit == unit { return (p.molar, p.molarDisplay) }
            if p.molar == code, p.massUnit == unit { return (p.mass, p.massDisplay) }
            if p.mass == code, p.massUnit == unit { return (p.mass, p.massDisplay) }
            if p.molar == code, p.molarUnit == unit { return (p.molar, p.molarDisplay) }
        }
        return nil
    }

    /// The display of a LOINC code pocgate knows (a pair member, or a kind's own code).
    public static func display(of code: String) -> String? {
        for p in pairs {
            if p.mass == code { return p.massDisplay }
            if p.molar == code { return p.molarDisplay }
        }
        for kind in ObservationKind.allCases {
            for unit in kind.codedUnits where kind.loincCode(unit: unit) == code { return kind.loincDisplay(unit: unit) }
        }
        return nil
    }
}

/// How `Reading.code` names a code that is not LOINC: `MDC:<number>` for an ISO/IEEE
/// 11073-10101 code the device sent (HL7 OBX-3 with coding system MDC).
public enum DeviceCode {
    public static let mdcPrefix = "MDC:"

    /// The MDC number of a `Reading.code`, or nil when the code is LOINC.
    public static func mdc(_ code: String) -> String? {
        code.hasPrefix(mdcPrefix) ? String(code.dropFirst(mdcPrefix.count)) : nil
    }

    /// Whether `code` is a LOINC code as `Reading.code` holds it (not empty, not MDC).
    public static func isLOINC(_ code: String) -> Bool { !code.isEmpty && !code.hasPrefix(mdcPrefix) }
}
