import FrameParsing

/// Constructed (C) HL7 v2 messages shaped like a health kiosk's results, built from the
/// public segment layouts; the resident ids are fictitious with a correct MOD 11-2 check character.
enum HL7Fixtures {
    static let patient = "320102196203150026"

    /// Segments joined with CR, each ended by CR.
    static func message(_ segments: [String]) -> [UInt8] { Array((segments.joined(separator: "\r") + "\r").utf8) }

    static func msh(_ control: String, type: String = "ORU^R01^ORU_R01") -> String {
        #"MSH|^~\&|HK-7000^00A0C9FFFE123456^EUI-64|TOWNSHIP CLINIC|POCGATE|HIS|20240615083512+0800||"# + type + "|\(control)|P|2.6|||NE|AL"
    }

    /// Every quantity the kiosk measures, one OBX each (BP as three), mixing MDC and LOINC codes.
    static let kioskSegments: [String] = [
        msh("HK0000001"),
        "PID|1||\(patient)^^^CHN^NNCHN~A123^^^CLINIC^MR||Test^Patient",
        "OBR|1|||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||20240615082900+0800",
        "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|148|266016^MDC_DIM_MMHG^MDC||H|||R",
        "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|92|266016^MDC_DIM_MMHG^MDC||H|||R",
        "OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.0.1.3|111|266016^MDC_DIM_MMHG^MDC|||||R",
        "OBX|4|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.0.1.4|76|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
        "OBR|2|||528388^MDC_DEV_SPEC_PROFILE_PULS_OXIM^MDC|||20240615083040+0800",
        "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1|97|%^%^UCUM|||||R",
        "OBX|2|NM|8310-5^Body temperature^LN||36.6|℃|||||F|||20240615083110+0800",
        "OBX|3|NM|8302-2^Body height^LN||168.5|cm^cm^UCUM|||||F",
        "OBX|4|NM|29463-7^Body weight^LN||72.40|kg^kg^UCUM|||||F",
        #"OBX|5|NM|39156-5^BMI^LN||25.5|kg/m\S\2|||||F"#,
        "OBX|6|NM|14743-9^Glucose^LN||7.8|mmol/L^mmol/L^UCUM|3.9-6.1|H|||F",
        "OBX|7|NM|2093-3^Cholesterol^LN||198|mg/dL^mg/dL^UCUM||N|||F",
        "OBX|8|ST|14927-8^Triglyceride^LN||1.45|mmol/L^mmol/L^UCUM|||||F",
        "OBX|9|NM|14933-6^Urate^LN||428|umol/L^umol/L^UCUM|||||F",
    ]

    static var kiosk: [UInt8] { message(kioskSegments) }
}
