/// OBX-6 units (`identifier^text^coding system`) → the UCUM code pocgate stores.
///
/// UCUM codes are taken as they are; MDC dimension codes (`266016^MDC_DIM_MMHG^MDC`) and the
/// usual hand-written spellings (`mmHg`, `bpm`, `℃`, `kg/m^2`, `µmol/L`) are translated. A unit
/// not in these tables is unknown, and the result is refused rather than guessed.
public enum HL7Unit {
    /// The UCUM code for OBX-6 of `obx`, or nil when unknown. The empty string means no unit was sent.
    public static func ucum(_ obx: HL7Segment) -> String? {
        ucum(HL7CodedElement(obx, field: 6))
    }

    /// The UCUM unit of an OBX-6 already read.
    static func ucum(_ unit: HL7CodedElement) -> String? {
        let identifier = unit.identifier, name = unit.text, system = unit.system
        if identifier.isEmpty && name.isEmpty { return "" }
        if system == "MDC" { return mdc[identifier] ?? mdcNames[name] }
        if knownUCUM.contains(identifier) { return identifier }
        return aliases[identifier] ?? aliases[identifier.lowercased()] ?? mdcNames[name]
    }

    /// UCUM codes pocgate stores.
    static let knownUCUM: Set<String> = ["mm[Hg]", "/min", "%", "Cel", "[degF]", "kg", "[lb_av]", "cm", "[in_i]",
                                    "kg/m2", "mg/dL", "mmol/L", "umol/L", "Hz", "uV", "mV"]

    /// MDC dimension codes (partition 4 × 65536 + term).
    static let mdc: [String: String] = [
        "266016": "mm[Hg]", "264864": "/min", "262688": "%", "268192": "Cel", "263875": "kg",
        "263441": "cm", "264096": "kg/m2", "264274": "mg/dL", "266866": "mmol/L",
    ]

    static let mdcNames: [String: String] = [
        "MDC_DIM_MMHG": "mm[Hg]", "MDC_DIM_BEAT_PER_MIN": "/min", "MDC_DIM_PERCENT": "%",
        "MDC_DIM_DEGC": "Cel", "MDC_DIM_X_G": "kg", "MDC_DIM_CENTI_M": "cm",
        "MDC_DIM_KG_PER_M_SQ": "kg/m2", "MDC_DIM_MILLI_G_PER_DL": "mg/dL", "MDC_DIM_MILLI_MOLE_PER_L": "mmol/L",
    ]

    /// Common non-UCUM spellings (matched as sent, then lower-cased).
    static let aliases: [String: String] = [
        "mmhg": "mm[Hg]", "mm hg": "mm[Hg]", "bpm": "/min", "beats/min": "/min", "1/min": "/min", "次/分": "/min",
        "℃": "Cel", "°c": "Cel", "degc": "Cel", "c": "Cel", "°f": "[degF]", "degf": "[degF]",
        "lb": "[lb_av]", "lbs": "[lb_av]", "in": "[in_i]",
        "kg/m^2": "kg/m2", "kg/m²": "kg/m2", "kg/m2": "kg/m2",
        "mg/dl": "mg/dL", "mmol/l": "mmol/L", "µmol/l": "umol/L", "μmol/l": "umol/L", "umol/l": "umol/L",
        "percent": "%", "hz": "Hz", "µv": "uV", "μv": "uV", "uv": "uV", "mv": "mV",
    ]
}
