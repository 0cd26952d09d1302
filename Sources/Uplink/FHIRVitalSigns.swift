internal import PocGateCore

/// How each kind of reading is categorised and profiled in FHIR R4 (docs/CODES.md):
/// vital signs follow the R4 vital-signs profiles, strip-meter and table analytes are
/// `laboratory`, ECG measurements and the waveform are `procedure`.
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
        case .glucose, .cholesterol, .triglycerides, .uricAcid, .ketone, .haemoglobin, .laboratory:
            return .laboratory
        case .bloodPressure, .systolicPressure, .diastolicPressure, .meanPressure, .heartRate, .oxygenSaturation,
             .bodyTemperature, .respiratoryRate, .bodyWeight, .bodyHeight, .bmi:
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
        case .respiratoryRate: name = "resprate"
        case .bodyWeight: name = "bodyweight"
        case .bodyHeight: name = "bodyheight"
        case .bmi: name = "bmi"
        default: return nil
        }
        return "http://hl7.org/fhir/StructureDefinition/" + name
    }

    /// The LOINC code the R4 vital-signs profile of `kind` requires in `Observation.code`
    /// (fixed `coding` slice), with its display; nil for kinds without such a profile.
    static func requiredCode(_ kind: ObservationKind) -> (code: String, display: String)? {
        switch kind {
        case .bloodPressure: return ("85354-9", "Blood pressure panel with all children optional")
        case .heartRate: return ("8867-4", "Heart rate")
        case .oxygenSaturation: return ("2708-6", "Oxygen saturation in Arterial blood")
        case .bodyTemperature: return ("8310-5", "Body temperature")
        case .respiratoryRate: return ("9279-1", "Respiratory rate")
        case .bodyWeight: return ("29463-7", "Body weight")
        case .bodyHeight: return ("8302-2", "Body height")
        case .bmi: return ("39156-5", "Body mass index (BMI) [Ratio]")
        default: return nil
        }
    }

    /// Codings sent after the code the device sent (or the kind's own LOINC code): the code the
    /// kind's R4 vital-signs profile requires when it is not already there (2708-6 next to the
    /// pulse-oximetry code 59408-5; 8867-4 next to an MDC pulse rate); the waveform also carries
    /// the MDC code of an ECG electrical potential.
    static func extraCodings(_ kind: ObservationKind, sentLOINC: String?) -> [(system: String, code: String, display: String)] {
        if kind == .ecgWaveform { return [(mdcSystem, "131328", "MDC_ECG_ELEC_POTL")] }
        guard let required = requiredCode(kind), required.code != sentLOINC else { return [] }
        return [(FHIRMapper.loincSystem, required.code, required.display)]
    }
}
