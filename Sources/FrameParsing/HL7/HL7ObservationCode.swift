public import PocGateCore

/// What an OBX-3 observation identifier (`identifier^text^coding system`) measures.
///
/// Two vocabularies are known: LOINC (coding system `LN`), the codes pocgate itself uploads
/// plus the blood (not capillary) glucose codes; and ISO/IEEE 11073-10101 (`MDC`) numeric
/// codes or names, which IEEE 11073 / IHE PCD-01 style devices send. A code whose coding
/// system is empty is looked up in both. ECG leads (`MDC_ECG_LEAD_*`) are waveform channels.
public enum HL7ObservationCode: Sendable, Equatable {
    case kind(ObservationKind)
    /// One lead of an ECG waveform, by its conventional name (`II`, `V1`…).
    case ecgLead(String)
    /// The sampling rate of the waveform channels in the same OBR (`MDC_ATTR_SAMP_RATE`).
    case samplingRate

    /// The meaning of `obx`'s OBX-3, or nil when pocgate does not know the code.
    public static func of(_ obx: HL7Segment) -> HL7ObservationCode? {
        of(HL7CodedElement(obx, field: 3))
    }

    /// The meaning of an OBX-3 already read.
    static func of(_ code: HL7CodedElement) -> HL7ObservationCode? {
        let identifier = code.identifier, name = code.text, system = code.system
        if system == "LN" || system == "LOINC" || system.isEmpty, let k = loinc[identifier] { return .kind(k) }
        if system == "MDC" || system.isEmpty || system == "99MDC" {
            if let k = mdc[identifier] ?? mdcNames[name] ?? mdcNames[identifier] { return .kind(k) }
            if let lead = lead(identifier) ?? lead(name) { return .ecgLead(lead) }
            if name == "MDC_ATTR_SAMP_RATE" || identifier == "MDC_ATTR_SAMP_RATE" { return .samplingRate }
        }
        return nil
    }

    /// LOINC → kind: every code in `ObservationKind`'s table (vital signs and strip analytes;
    /// the ECG measurements are left to ECG codecs), plus whole-blood glucose.
    static let loinc: [String: ObservationKind] = {
        var out: [String: ObservationKind] = [:]
        let skipped: Set<ObservationKind> = [.ecgHeartRate, .prInterval, .qrsDuration, .qtInterval, .qtcInterval,
                                             .qrsAxis, .pAxis, .tAxis, .ecgWaveform, .bloodPressure,
                                             // 718-7 from a kiosk stays with the analyte table (g/dL, g/L).
                                             .haemoglobin]
        for kind in ObservationKind.allCases where !skipped.contains(kind) {
            for unit in kind.codedUnits {
                if let code = kind.loincCode(unit: unit), out[code] == nil { out[code] = kind }
            }
        }
        out["2339-0"] = .glucose     // Glucose [Mass/volume] in Blood
        out["15074-8"] = .glucose    // Glucose [Moles/volume] in Blood
        out["2708-6"] = .oxygenSaturation   // Oxygen saturation in Arterial blood
        out["2345-7"] = .glucose     // Glucose [Mass/volume] in Serum or Plasma
        out["14749-6"] = .glucose    // Glucose [Moles/volume] in Serum or Plasma
        out["8889-8"] = .heartRate   // Heart rate by Pulse oximetry
        return out
    }()

    /// MDC numeric code (partition × 65536 + term) → kind. Only codes whose meaning is one
    /// kind without doubt: a generic pulse rate is a heart rate in /min, a generic temperature
    /// sent by a vital-signs monitor is the body temperature (its site, OBX-20, travels along).
    static let mdc: [String: ObservationKind] = [
        "150021": .systolicPressure, "150022": .diastolicPressure, "150023": .meanPressure,
        "149546": .heartRate, "149530": .heartRate, "149522": .heartRate, "147842": .heartRate,
        "150456": .oxygenSaturation,
        "160184": .glucose, "150364": .bodyTemperature, "150344": .bodyTemperature, "151562": .respiratoryRate,
        "188736": .bodyWeight, "188740": .bodyHeight, "188752": .bmi,
    ]

    /// MDC reference id → kind.
    static let mdcNames: [String: ObservationKind] = [
        "MDC_PRESS_BLD_NONINV_SYS": .systolicPressure, "MDC_PRESS_BLD_NONINV_DIA": .diastolicPressure,
        "MDC_PRESS_BLD_NONINV_MEAN": .meanPressure, "MDC_PULS_RATE_NON_INV": .heartRate,
        "MDC_PULS_OXIM_PULS_RATE": .heartRate, "MDC_PULS_RATE": .heartRate, "MDC_BLD_PULS_RATE_INV": .heartRate,
        "MDC_ECG_HEART_RATE": .heartRate, "MDC_PULS_OXIM_SAT_O2": .oxygenSaturation,
        "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD": .glucose, "MDC_TEMP_BODY": .bodyTemperature, "MDC_TEMP": .bodyTemperature,
        "MDC_RESP_RATE": .respiratoryRate, "MDC_TTHOR_RESP_RATE": .respiratoryRate,
        "MDC_MASS_BODY_ACTUAL": .bodyWeight, "MDC_LEN_BODY_ACTUAL": .bodyHeight,
        "MDC_RATIO_MASS_BODY_LEN_SQ": .bmi,
    ]

    /// How `Reading.code` records the code `obx` sent: the LOINC code as sent, `MDC:<number>`
    /// for a numeric MDC code, else `fallback` (the kind's own LOINC code).
    static func sentCode(_ code: HL7CodedElement, fallback: String) -> String {
        let identifier = code.identifier, system = code.system
        if system == "LN" || system == "LOINC" || (system.isEmpty && loinc[identifier] != nil) {
            return loinc[identifier] != nil ? identifier : fallback
        }
        if !identifier.isEmpty, identifier.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), mdc[identifier] != nil {
            return DeviceCode.mdcPrefix + identifier
        }
        return fallback
    }

    static let leadNames = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

    /// The lead named by an MDC lead code or `MDC_ECG_LEAD_<name>`.
    static func lead(_ text: String) -> String? {
        for name in leadNames {
            if WaveformLead.mdcCode(forLead: name) == text { return name }
            if text.uppercased() == "MDC_ECG_LEAD_" + name.uppercased() { return name }
        }
        return nil
    }
}
