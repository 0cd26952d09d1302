import PocGateCore

/// What a TaiDoc record measures, in its UCUM unit, with the LOINC code looked up once for
/// every reading of that kind.
struct TaiDocMeasure: Sendable {
    let kind: ObservationKind
    let unit: String
    /// `kind.loincCode(unit: unit)`, empty when the table has none.
    let code: String

    init(_ kind: ObservationKind, _ unit: String) {
        self.kind = kind
        self.unit = unit
        code = kind.loincCode(unit: unit) ?? ""
    }

    static let glucose = TaiDocMeasure(.glucose, "mg/dL")
    static let ketone = TaiDocMeasure(.ketone, "mmol/L")
    static let uricAcid = TaiDocMeasure(.uricAcid, "mg/dL")
    static let cholesterol = TaiDocMeasure(.cholesterol, "mg/dL")
    static let haemoglobin = TaiDocMeasure(.haemoglobin, "g/dL")
    static let bodyTemperature = TaiDocMeasure(.bodyTemperature, "Cel")
    static let bloodPressure = TaiDocMeasure(.bloodPressure, "mm[Hg]")
    static let heartRate = TaiDocMeasure(.heartRate, "/min")
}
