/// How precisely a device wrote a reading's time, when it was not to the second (HL7 v2.5.1
/// chapter 2A, DTM: `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]]`).
///
/// `Reading.deviceTime` fills the parts the device left out with their first value (a day-only
/// time is midnight); this says which parts were sent, so the upload keeps the device's
/// precision: FHIR `effectiveDateTime` `2024`, `2024-06`, `2024-06-15` (a date, no zone) or
/// `2024-06-15T08:30:05.1234+08:00` (seconds with the fraction as sent). A time to the hour or
/// minute has no case: it is uploaded with `:00` for the parts left out, as FHIR requires
/// seconds once a time of day is present.
public enum DeviceTimePrecision: Sendable, Hashable, Codable {
    /// Only the year was sent.
    case year
    /// The year and month were sent.
    case month
    /// The date was sent, no time of day.
    case day
    /// Seconds with a fraction: the 1 to 4 fraction digits exactly as sent (`"1234"` for `.1234`).
    case fraction(String)

    /// Whether the device sent a date without a time of day (year, month or day precision): such
    /// a time cannot be corrected for clock skew and is uploaded as a date.
    public var isDateOnly: Bool {
        if case .fraction = self { return false }
        return true
    }

    /// The text the store keeps: `year`, `month`, `day` or `.` and the fraction digits.
    public var storeText: String {
        switch self {
        case .year: return "year"
        case .month: return "month"
        case .day: return "day"
        case let .fraction(digits): return "." + digits
        }
    }

    /// Reads `storeText`; nil for any other text.
    public init?(storeText text: String) {
        switch text {
        case "year": self = .year
        case "month": self = .month
        case "day": self = .day
        default:
            let digits = text.utf8.dropFirst()
            guard text.utf8.first == UInt8(ascii: "."), (1...4).contains(digits.count),
                  digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            self = .fraction(String(text.dropFirst()))
        }
    }

    /// `time` written with this precision, without a zone: `2024`, `2024-06`, `2024-06-15`, or
    /// `2024-06-15T08:30:05.1234` (the fraction after the seconds).
    public func text(_ time: LocalDateTime) -> String {
        let full = time.description
        switch self {
        case .year: return String(full.prefix(4))
        case .month: return String(full.prefix(7))
        case .day: return String(full.prefix(10))
        case let .fraction(digits): return full + "." + digits
        }
    }
}
