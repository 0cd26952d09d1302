internal import PocGateCore

/// How each kind of reading is categorised and profiled in FHIR R4 (docs/CODES.md):
/// vital signs follow the R4 vital-signs profiles, strip-meter analytes are `laboratory`,
/// ECG measurements and the waveform are `procedure`.
enum FHIRVitalSigns {
    static let categorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"
    /// The base vital-signs profile every vital-sign Observation claims.
    static let baseProfile = "http://hl7.org/fhir/StructureDefinition/vitalsigns"
    /// MDC (IEEE 11073-10101) as FHIR examples name it.
    static let mdcSystem = "urn:oid:2.16.840.1.113883.6.24"

    /// An `observation-category` code and its display.
    struct Category: Equatable {
        let code: String
        let display: String
        static let vitalSigns = Category(code: "vital-signs", display: "Vital Signs")
        static let laboratory = Category(code: "laboratory", display: "Laboratory")
        static let procedure = Category(code: "procedure", display: "Procedure")
    }

    static func category(_ kind: ObservationKind) -> Category {
        switch kind {
        case .glucose, .cholesterol, .triglycerides, .uricAcid, .ketone:
            return .laboratory
        case .bloodPressure, .systolicPressure, .diastolicPressure, .meanPressure, .heartRate, .oxygenSaturation,
             .bodyTemperature, .bodyWeight, .bodyHeight, .bmi:
            return .vitalSigns
        case .ecgHeartRate, .prInterval, .qrsDuration, .qtInterval, .qtcInterval, .qrsAxis, .pAxis, .tAxis, .ecgWaveform:
            return .procedure
        }
    }

    /// The specific R4 vital-signs profile of `kind` (besides the base one); nil when none applies.
    static func profile(_ kind: ObservationKind) -> String? {
        let name: String
        switch kind {
        case .bloodPressure: name = "bp"
        case .heartRate: name = "heartrate"
        case .oxygenSaturation: name = "oxygensat"
        case .bodyTemperature: name = "bodytemp"
        case .bodyWeight: name = "bodyweight"
        case .bodyHeight: name = "bodyheight"
        case .bmi: name = "bmi"
        default: return nil
        }
        return "http://hl7.org/fhir/StructureDefinition/" + name
    }

    /// Codings sent in addition to the kind's own LOINC code: the R4 oxygensat profile
    /// requires 2708-6 next to the pulse-oximetry code 59408-5; the waveform also carries the
    /// MDC code of an ECG electrical potential.
    static func extraCodings(_ kind: ObservationKind) -> [(system: String, code: String, display: String)] {
        switch kind {
        case .oxygenSaturation: return [(FHIRMapper.loincSystem, "2708-6", "Oxygen saturation in Arterial blood")]
        case .ecgWaveform: return [(mdcSystem, "131328", "MDC_ECG_ELEC_POTL")]
        default: return []
        }
    }
}
