public import PocGateCore

/// An OBX-5 value of the types a point-of-care device sends, read exactly.
public enum HL7Value: Sendable, Equatable {
    /// A number (NM, a numeric ST, or SN without comparator).
    case number(ExactDecimal)
    /// An SN bound: the true value is above (`>`, `>=`) or below (`<`, `<=`) `bound`; the device
    /// reports its measuring limit.
    case above(ExactDecimal)
    case below(ExactDecimal)
    /// An NA numeric array (waveform samples).
    case array([ExactDecimal])

    /// Reads OBX-5 of value type `type` (OBX-2) from `obx`, or says why it cannot.
    static func read(_ obx: HL7Segment, type: String) -> Result<HL7Value, HL7ResultProblem> {
        switch type {
        case "NM":
            let t = obx.text(5)
            guard let v = number(t) else { return .failure(.badValue(type: type, value: t)) }
            return .success(.number(v))
        case "ST":
            let t = obx.trimmedText(5)
            if let v = number(t) { return .success(.number(v)) }
            for (prefix, bound) in [(">=", true), ("<=", false), (">", true), ("<", false)] where t.hasPrefix(prefix) {
                guard let v = number(String(t.dropFirst(prefix.count))) else { break }
                return .success(bound ? .above(v) : .below(v))
            }
            return .failure(.badValue(type: type, value: t))
        case "SN":
            let c = obx.components(5)
            let comparator = c.first ?? ""
            let whole = c.joined(separator: "^")
            guard c.count >= 2, let v = number(c[1]), c.count < 3 || (c[2].isEmpty && (c.count < 4 || c[3].isEmpty)) else {
                return .failure(.badValue(type: type, value: whole))
            }
            switch comparator {
            case "", "=": return .success(.number(v))
            case ">", ">=": return .success(.above(v))
            case "<", "<=": return .success(.below(v))
            default: return .failure(.badValue(type: type, value: whole))
            }
        case "NA":
            var out: [ExactDecimal] = []
            for t in obx.components(5) {
                guard let v = number(t) else { return .failure(.badValue(type: type, value: t)) }
                out.append(v)
            }
            return .success(.array(out))
        default:
            return .failure(.unsupportedValueType(type))
        }
    }

    /// A decimal literal with an optional leading `+` and surrounding spaces.
    static func number(_ text: String) -> ExactDecimal? {
        var t = text.trimmingSpaces
        if t.hasPrefix("+") { t.removeFirst() }
        return ExactDecimal(parsing: t)
    }
}
