public import PocGateCore

/// HL7 v2 date/time (DTM, and TS component 1): `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`
/// (HL7 v2.5.1 chapter 2A, DTM and TS).
///
/// `+ZZZZ`/`-ZZZZ` is the offset from UTC (`+0800`: eight hours ahead of UTC); it is kept with
/// the time (`Reading.utcOffsetSeconds`) and the instant uploaded with it. A time without one
/// is in the sender's local zone, which is the gateway's configured zone. Fractions of a second
/// are read and dropped (a reading is timed to the second). A time without minutes is not
/// precise enough for a measurement and is refused.
public enum HL7Timestamp {
    /// The wall-clock time and, when written, the UTC offset in seconds.
    public struct Zoned: Sendable, Equatable {
        public var local: LocalDateTime
        public var utcOffsetSeconds: Int?

        public init(local: LocalDateTime, utcOffsetSeconds: Int? = nil) {
            self.local = local
            self.utcOffsetSeconds = utcOffsetSeconds
        }
    }

    /// The wall-clock part of `text`, or nil when it is not a valid time to the minute.
    public static func parse(_ text: String) -> LocalDateTime? { parseZoned(text)?.local }

    /// `text` with its offset, or nil when it is not a valid time to the minute.
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
        if let point = digits.firstIndex(of: UInt8(ascii: ".")) {
            let fraction = digits[(point + 1)...]
            guard point == 14, !fraction.isEmpty, fraction.count <= 4, fraction.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            digits = Array(digits[..<point])
        }
        guard [12, 14].contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        func n(_ at: Int, _ count: Int) -> Int { digits[at..<(at + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let t = LocalDateTime(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2),
                              second: digits.count == 14 ? n(12, 2) : 0)
        return t.isValid ? Zoned(local: t, utcOffsetSeconds: offset) : nil
    }
}
