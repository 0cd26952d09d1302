/// Why an OBX (or a group of them) did not become a reading. Each is kept (logged with its
/// bytes, counted) and named in the acknowledgement as a warning (ERR severity W) while the
/// usable results of the message are stored and acknowledged AA: an AE would make the device
/// send the stored message again for ever.
public enum HL7ResultProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// OBX-11 is not a status of HL7 table 0085.
    case unknownStatus(setID: String, status: String)
    /// OBX-14 is not empty but is not a valid date/time to the minute.
    case badTime(setID: String, text: String)
    /// OBX-3 is not a code pocgate knows.
    case unknownCode(setID: String, code: String)
    /// OBX-6 is not a unit pocgate knows, or not one the observation can be coded in.
    case unknownUnit(setID: String, unit: String, kind: String)
    /// OBX-5 does not hold a value of its OBX-2 type.
    case badValue(type: String, value: String)
    /// OBX-2 is a value type a measurement cannot have (CE, TX, ED…).
    case unsupportedValueType(String)
    /// Neither OBX-14 nor OBR-7 holds a valid time.
    case noTime(setID: String)
    /// A blood-pressure group without both systolic and diastolic values.
    case incompleteBloodPressure(obr: String)
    /// A numeric array (NA) that is not an ECG lead.
    case arrayWithoutLead(setID: String)
    /// ECG leads without a usable sampling rate in the same OBR.
    case waveformWithoutRate(obr: String)
    /// An SN or text bound where the kind needs an exact value, or the reverse.
    case valueShape(setID: String, why: String)

    /// The OBX set id the problem is about (for the ERR segment), or "".
    public var setID: String {
        switch self {
        case let .unknownCode(s, _), let .unknownUnit(s, _, _), let .noTime(s), let .arrayWithoutLead(s), let .valueShape(s, _),
             let .unknownStatus(s, _), let .badTime(s, _): return s
        default: return ""
        }
    }

    public var description: String {
        switch self {
        case let .unknownStatus(s, t): return "OBX \(s): result status (OBX-11) '\(t)' is not in HL7 table 0085; result not used"
        case let .badTime(s, t): return "OBX \(s): observation time (OBX-14) '\(t)' is not a valid HL7 date/time; result not used (the order's time is not substituted)"
        case let .unknownCode(s, c): return "OBX \(s): observation identifier '\(c)' is not a code pocgate maps (LOINC or MDC)"
        case let .unknownUnit(s, u, k): return "OBX \(s): unit '\(u)' is not a UCUM/MDC unit pocgate accepts for \(k)"
        case let .badValue(t, v): return "OBX-5 '\(v)' is not a valid \(t) value"
        case let .unsupportedValueType(t): return "OBX-2 value type '\(t)' is not a measurement (NM, SN, ST or NA expected)"
        case let .noTime(s): return "OBX \(s): no valid observation time in OBX-14 or OBR-7"
        case let .incompleteBloodPressure(o): return "OBR \(o): blood pressure without both systolic and diastolic"
        case let .arrayWithoutLead(s): return "OBX \(s): numeric array that is not an ECG lead (no lead identity in OBX-3)"
        case let .waveformWithoutRate(o): return "OBR \(o): ECG leads without an exact sampling rate (MDC_ATTR_SAMP_RATE in Hz)"
        case let .valueShape(s, w): return "OBX \(s): \(w)"
        }
    }
}

/// Why a message as a whole cannot be accepted: the acknowledgement is AR.
public enum HL7Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an HL7 v2 message (no MSH, bad encoding characters).
    case unparsable(HL7ParseError)
    /// MSH-9 is not ORU^R01.
    case unsupportedMessageType(String)
    /// MSH-10 is empty: there is nothing to acknowledge against.
    case noControlID

    public var description: String {
        switch self {
        case let .unparsable(e): return e.description
        case let .unsupportedMessageType(t): return "message type '\(t)' is not accepted (only ORU^R01 observation results)"
        case .noControlID: return "MSH-10 message control id is empty"
        }
    }
}
