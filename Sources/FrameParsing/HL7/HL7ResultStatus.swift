public import PocGateCore

/// OBX-11 observation result status (HL7 v2.5.1 chapter 7, OBX-11; HL7 table 0085) as
/// pocgate acts on it.
public enum HL7ResultStatus: Equatable, Sendable {
    /// A result, with the status it is stored and uploaded with.
    case result(ResultStatus)
    /// Not a result: N (not asked), O (order detail only), X (cannot be obtained), D (delete
    /// the result), I (specimen in lab, results pending).
    case notAResult
    /// A letter not in table 0085.
    case unknown

    /// Table 0085: F final, U status changed to final, C correction, W wrong (withdrawn),
    /// P preliminary, R entered not verified, S partial, and the non-results above. An empty
    /// OBX-11 (the field is required, but devices leave it out) is taken as final.
    public static func read(_ text: String) -> HL7ResultStatus {
        switch text {
        case "", "F", "U": return .result(.final)
        case "P", "R", "S": return .result(.preliminary)
        case "C": return .result(.corrected)
        case "W": return .result(.enteredInError)
        case "N", "O", "X", "D", "I": return .notAResult
        default: return .unknown
        }
    }
}
