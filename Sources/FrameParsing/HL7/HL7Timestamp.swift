public import PocGateCore

/// HL7 v2 date/time (DTM/TS): `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`.
///
/// pocgate keeps the wall-clock time the device wrote, like every other device time: the
/// offset (`+0800`) is checked for shape and dropped, never applied, so `20240615083000+0800`
/// becomes 2024-06-15T08:30:00. Fractions of a second are dropped. A time without minutes
/// is not precise enough for a measurement and is refused.
public enum HL7Timestamp {
    public static func parse(_ text: String) -> LocalDateTime? {
        var digits = Array(text.utf8)
        if let sign = digits.firstIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            let zone = digits[(sign + 1)...]
            guard zone.count == 4, zone.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
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
        return t.isValid ? t : nil
    }
}
