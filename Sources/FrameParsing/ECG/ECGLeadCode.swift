/// Lead codes as SCP-ECG section 3 numbers them (EN 1064 lead table), shared by the SCP
/// decoder and pocgate's framed transfer format, and the names ECG practice writes.
public enum ECGLeadCode {
    /// The conventional name of a lead code: the 12 standard leads exactly as `WaveformLead`
    /// expects them (I, II, III, aVR, aVL, aVF, V1…V6), a few common extra leads, and
    /// `lead-<n>` for any other code so nothing is lost.
    public static func name(_ code: UInt8) -> String {
        switch code {
        case 1: return "I"
        case 2: return "II"
        case 3...8: return "V\(code - 2)"
        case 9: return "V7"
        case 10...15: return "V\(code - 8)R"
        case 16: return "X"
        case 17: return "Y"
        case 18: return "Z"
        case 61: return "III"
        case 62: return "aVR"
        case 63: return "aVL"
        case 64: return "aVF"
        case 65: return "-aVR"
        case 66: return "V8"
        case 67: return "V9"
        case 68: return "V8R"
        case 69: return "V9R"
        default: return "lead-\(code)"
        }
    }

    /// The code of a conventional lead name; nil for a name `name(_:)` never produces.
    public static func code(_ name: String) -> UInt8? {
        (0...255).lazy.map(UInt8.init).first { Self.name($0) == name }
    }

    /// The standard 12-lead order carts record: I, II, III, aVR, aVL, aVF, V1…V6.
    public static let standardTwelve: [UInt8] = [1, 2, 61, 62, 63, 64, 3, 4, 5, 6, 7, 8]
}
