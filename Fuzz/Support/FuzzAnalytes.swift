import PocGateCore

/// A small analyte table for the ASTM targets (the shipped ones are YAML, which the fuzz build
/// does not parse): the strip analytes in both units, wide ranges.
enum FuzzAnalytes {
    static let table: AnalyteTable = {
        func unit(_ ucum: String, _ loinc: String) -> AnalyteTable.UnitCoding {
            AnalyteTable.UnitCoding(ucum: ucum, loinc: loinc, display: loinc, plausible: ExactDecimal(0)...ExactDecimal(100_000))
        }
        return AnalyteTable(ids: ["fuzz"], analytes: [
            .init(id: "glucose", kind: .glucose, names: ["glucose", "glu"], units: [unit("mg/dL", "41653-7"), unit("mmol/L", "14743-9")]),
            .init(id: "chol", kind: .cholesterol, names: ["chol", "tc"], units: [unit("mg/dL", "2093-3"), unit("mmol/L", "14647-2")]),
            .init(id: "tg", kind: .triglycerides, names: ["tg"], units: [unit("mg/dL", "2571-8"), unit("mmol/L", "14927-8")]),
            .init(id: "ua", kind: .uricAcid, names: ["ua"], units: [unit("mg/dL", "3084-1"), unit("umol/L", "14933-6")]),
        ], unitTexts: ["mg/dl": "mg/dL", "mmol/l": "mmol/L", "umol/l": "umol/L"])
    }()
}
