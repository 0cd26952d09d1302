public import PocGateCore

/// Why an E1394 record did not become a reading. Each message names the record text (never a
/// patient identifier) so a technician can compare it with the analyzer's manual.
public enum ASTMProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The universal test ID names an analyte pocgate does not map.
    case unknownAnalyte(String)
    /// The result's unit is not one pocgate maps to UCUM.
    case unknownUnit(analyte: String, unit: String)
    /// The analyte has no LOINC code in this unit.
    case noCode(ObservationKind, unit: String)
    /// The value field is not a number (nor a documented out-of-range marker).
    case badValue(String)
    /// `HI`/`LO` without a measuring range to take the bound from.
    case noBound(String)
    /// Neither the result nor its order carries a date and time.
    case noTime(String)
    /// R.13 (or R.12) holds text that is not a valid date and time.
    case badTime(String)
    /// R.9 result status is not one E1394 defines.
    case unknownStatus(String)
    /// A record that is not valid text in the profile's character set (`charset:`).
    case invalidText(charset: String, record: String)
    /// A header whose delimiter declaration is unusable.
    case badHeader(String)
    /// A frame that was out of sequence (a live receiver NAKs it and the device resends it).
    case outOfSequence(expected: UInt8, got: UInt8)
    /// A frame outside a transfer (before ENQ or after EOT).
    case frameOutsideTransfer
    /// A transfer ended (EOT or timeout) in the middle of a record, which was dropped.
    case incompleteRecord(bytes: Int)

    /// Whether the problem is about one result record (rather than the header or the link).
    public var concernsResult: Bool {
        switch self {
        case .unknownAnalyte, .unknownUnit, .noCode, .badValue, .noBound, .noTime, .badTime, .unknownStatus, .invalidText: return true
        case .badHeader, .outOfSequence, .frameOutsideTransfer, .incompleteRecord: return false
        }
    }

    public var description: String {
        switch self {
        case let .unknownAnalyte(t): return "unknown analyte in result (not uploaded): \(t)"
        case let .unknownUnit(a, u): return "unit '\(u)' of \(a) is not mapped to UCUM (not uploaded)"
        case let .noCode(k, u): return "\(k.rawValue) in '\(u)' has no LOINC code in pocgate (not uploaded)"
        case let .badValue(t): return "result value is not a number: \(t)"
        case let .noBound(t): return "result is out of the measuring range but the range is unknown: \(t)"
        case let .noTime(t): return "result has no date and time (neither in the result nor its order): \(t)"
        case let .badTime(t): return "result date/time (field 13, or 12) is not a valid YYYYMMDDHHMM[SS]; not used, and the order time is not substituted: \(t)"
        case let .unknownStatus(t): return "result status (field 9) is not an E1394 status: \(t)"
        case let .invalidText(c, r): return "\(r) record is not valid \(c) text (set the profile key 'charset' to what the analyzer sends); its results are not used"
        case let .badHeader(t): return "header record does not declare four distinct delimiters: \(t)"
        case let .outOfSequence(e, g): return "frame \(g) out of sequence (expected \(e)); a live receiver NAKs it"
        case .frameOutsideTransfer: return "frame outside a transfer (no ENQ before it)"
        case let .incompleteRecord(n): return "transfer ended inside a record; \(n) bytes dropped (the device resends the message)"
        }
    }
}
