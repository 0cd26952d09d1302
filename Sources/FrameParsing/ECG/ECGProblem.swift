/// Why a checked ECG frame did not become readings. Messages name what a technician can check.
public enum ECGProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The acquisition time is not a calendar time.
    case invalidTime(String)
    /// The patient ID bytes are not UTF-8.
    case patientIDNotUTF8
    /// A frame without leads.
    case noLeads
    /// A lead whose scale is 0 nV per count.
    case zeroScale(lead: String)
    /// Leads with scales so different that a common scale overflows 32-bit samples.
    case scaleOutOfRange(lead: String)

    public var description: String {
        switch self {
        case let .invalidTime(t): return "ECG acquisition time \(t) is not a valid date and time; check the cart's clock"
        case .patientIDNotUTF8: return "ECG patient ID is not UTF-8 text; check the cart's character set setting"
        case .noLeads: return "ECG frame carries no leads"
        case let .zeroScale(lead): return "ECG lead \(lead) has a scale of 0 nV per count; the samples cannot be converted to microvolts"
        case let .scaleOutOfRange(lead): return "ECG lead \(lead) scale differs too much from the other leads to share one exact scale"
        }
    }
}
