public import PocGateCore

/// HL7 v2 date/time (DTM, and TS component 1): `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`
/// (HL7 v2.5.1 chapter 2A, DTM and TS).
///
/// `+ZZZZ`/`-ZZZZ` is the offset from UTC (`+0800`: eight hours ahead of UTC); it is kept with
/// the time (`Reading.utcOffsetSeconds`) and the instant uploaded with it. A time without one
/// is in the sender's local zone, which is the gateway's configured zone. The precision the
/// sender chose is kept (`DeviceTimePrecision`): a year, month or day only (the date as written;
/// an offset written with a date alone is dropped, as a date has no zone), or seconds with their
/// fraction (1 to 4 digits as sent). A time to the hour or minute reads the missing parts as 0.
public enum HL7Timestamp {
    /// The wall-clock time and, when written, the UTC offset in seconds.
    public struct Zoned: Sendable, Equatable {
        public var local: LocalDateTime
        public var utcOffsetSeconds: Int?
        /// A date only, or seconds with a fraction; nil for a time to the hour, minute or second.
        public var precision: DeviceTimePrecision?

        public init(local: LocalDateTime, utcOffsetSeconds: Int? = nil, precision: DeviceTimePrecision? = nil) {
            self.local = local
            self.utcOffsetSeconds = utcOffsetSeconds
            self.precision = precision
        }
    }

    /// The wall-clock part of `text` (missing parts as their first value), or nil when it is not
    /// a valid DTM.
    public static func parse(_ text: String) -> LocalDateTime? { parseZoned(text)?.local }

    /// `text` with its offset and precision, or nil when it is not a valid DTM.
    public static func parseZoned(_ text: String) -> Zoned? {
        var digits = Array(text.utf8)
        var offset: Int?
        if let sign = digits.firstIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            let zone = Array(digits[(sign + 1)...])
            guard zone.count == 4, zone.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let hours = Int(zone[0] - 0x30) * 10 + Int(zone[1] - 0x30)
            let minutes = Int(zone[2] - 0x30) * 10 + Int(zone[3] - 0x30)
            // UTC offsets in use run from -12:00 to +14:00.
            guard hours <= 14, minutes <= 59 else { return nil }
            let magnitude = hours * 3600 + minutes * 60
            offset = digits[sign] == UInt8(ascii: "-") ? -magnitude : magnitude
            digits = Array(digits[..<sign])
        }
        var precision: DeviceTimePrecision?
        if let point = digits.firstIndex(of: UInt8(ascii: ".")) {
            let fraction = digits[(point + 1)...]
            guard point == 14, !fraction.isEmpty, fraction.count <= 4, fraction.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            precision = .fraction(String(decoding: fraction, as: UTF8.self))
            digits = Array(digits[..<point])
        }
        guard [4, 6, 8, 10, 12, 14].contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        func n(_ at: Int, _ count: Int) -> Int {
            guard at + count <= digits.count else { return at == 4 || at == 6 ? 1 : 0 }
            return digits[at..<(at + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        switch digits.count {
        case 4: precision = .year
        case 6: precision = .month
        case 8: precision = .day
        default: break
        }
        // A date has no zone (FHIR `date` forms of dateTime): its offset is not kept.
        if precision?.isDateOnly == true { offset = nil }
        let t = LocalDateTime(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2), second: n(12, 2))
        return t.isValid ? Zoned(local: t, utcOffsetSeconds: offset, precision: precision) : nil
    }
}
