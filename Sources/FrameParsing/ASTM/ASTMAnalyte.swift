public import PocGateCore

/// What E1394 result fields name, mapped to pocgate's model: the analyte of a universal test
/// ID and the unit text. Only names listed here become readings; anything else is reported as a
/// problem, never guessed.
public enum ASTMAnalyte {
    /// Test names (compared case-insensitively, spaces, `-` and `_` ignored) per kind.
    static let names: [String: ObservationKind] = [
        "glucose": .glucose, "glu": .glucose, "gluc": .glucose, "bg": .glucose,
        "cholesterol": .cholesterol, "chol": .cholesterol, "tc": .cholesterol, "tchol": .cholesterol,
        "totalcholesterol": .cholesterol,
        "triglycerides": .triglycerides, "triglyceride": .triglycerides, "trig": .triglycerides, "tg": .triglycerides,
        "uricacid": .uricAcid, "ua": .uricAcid, "uric": .uricAcid, "urate": .uricAcid,
        "ketone": .ketone, "ketones": .ketone, "ket": .ketone, "bhb": .ketone, "bketone": .ketone,
    ]

    /// The kind a test name stands for, or nil.
    public static func kind(_ name: String) -> ObservationKind? {
        names[normalised(name)]
    }

    /// The UCUM unit for a unit text as devices write it (`mg/dl`, `mmol/l`, `µmol/L`), or nil.
    public static func ucum(_ unit: String) -> String? {
        switch String(normalised(unit).map { $0 == "µ" || $0 == "μ" ? "u" : $0 }) {
        case "mg/dl": return "mg/dL"
        case "mmol/l": return "mmol/L"
        case "umol/l": return "umol/L"
        case "g/l": return "g/L"
        case "%": return "%"
        case "mmhg", "mm[hg]": return "mm[Hg]"
        case "bpm", "/min", "1/min": return "/min"
        default: return nil
        }
    }

    private static func normalised(_ s: String) -> String {
        String(s.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" })
    }
}
