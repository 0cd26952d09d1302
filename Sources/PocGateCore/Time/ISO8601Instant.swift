/// UTC instants as RFC 3339 / ISO 8601 internet date-times: `2024-06-15T00:30:05Z`.
public enum ISO8601Instant {
    /// Unix milliseconds as `2024-06-15T00:30:05Z` (whole seconds, rounded down).
    public static func text(millis: Int64) -> String {
        var seconds = millis / 1000
        if millis % 1000 < 0 { seconds -= 1 }
        return LocalDateTime(secondsSinceEpoch: seconds).description + "Z"
    }

    /// Unix milliseconds of an internet date-time with a `Z` or `±hh:mm` offset and optional
    /// fraction (`2024-06-15T08:30:05.250+08:00`); nil for anything else.
    public static func millis(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] | 0x20 == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2)
        else { return nil }
        let date = LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        guard date.isValid else { return nil }
        var at = 19
        var fraction: Int64 = 0
        if at < b.count, b[at] == UInt8(ascii: ".") {
            at += 1
            var digits = 0
            while at < b.count, b[at] >= 0x30, b[at] <= 0x39 {
                if digits < 3 { fraction = fraction * 10 + Int64(b[at] - 0x30) }
                digits += 1
                at += 1
            }
            guard digits > 0, digits <= 9 else { return nil }
            for _ in digits..<3 where digits < 3 { fraction *= 10 }
        }
        var offset = 0
        guard at < b.count else { return nil }
        if b[at] | 0x20 == UInt8(ascii: "z") {
            at += 1
        } else if b[at] == UInt8(ascii: "+") || b[at] == UInt8(ascii: "-") {
            guard at + 6 <= b.count, b[at + 3] == UInt8(ascii: ":"), let oh = num(at + 1, 2), let om = num(at + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[at] == UInt8(ascii: "-") ? -1 : 1)
            at += 6
        } else {
            return nil
        }
        guard at == b.count else { return nil }
        return (date.secondsSinceEpoch - Int64(offset)) * 1000 + fraction
    }
}
