/// A POSIX TZ rule as TZif footers carry it (RFC 8536 §3.3, POSIX.1 `TZ`), e.g. `CST-8` or
/// `EST5EDT,M3.2.0,M11.1.0`: a standard offset and, optionally, a daylight offset with the
/// yearly dates and times it starts and ends.
struct PosixTZRule: Sendable, Equatable {
    /// Seconds east of UTC (POSIX writes them west, with the opposite sign).
    var standard: Int
    var daylight: Int?
    var start = Boundary(date: .month(3, 2, 0), time: 7200)
    var end = Boundary(date: .month(10, 5, 0), time: 7200)

    /// A yearly date and the local time of day it takes effect (may be negative or past 24 h).
    struct Boundary: Sendable, Equatable {
        var date: DateRule
        var time: Int
    }

    enum DateRule: Sendable, Equatable {
        /// `Jn`: day 1...365 of the year, February 29 never counted.
        case julianNoLeap(Int)
        /// `n`: day 0...365 of the year, February 29 counted.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday d (0 = Sunday) of week w (5 = last) of month m.
        case month(Int, Int, Int)
    }

    /// The offset in force at the Unix instant `t`.
    func offset(at t: Int64) -> Int {
        guard let daylight else { return standard }
        let year = LocalDateTime(secondsSinceEpoch: t + Int64(standard)).year
        // Daylight time starts at the start boundary read in standard time and ends at the end
        // boundary read in daylight time.
        let starts = instant(start, year: year) - Int64(standard)
        let ends = instant(end, year: year) - Int64(daylight)
        let inDaylight = starts < ends ? (t >= starts && t < ends) : !(t >= ends && t < starts)
        return inDaylight ? daylight : standard
    }

    /// The boundary in year `year` as seconds since the epoch in local wall time.
    private func instant(_ boundary: Boundary, year: Int) -> Int64 {
        let jan1 = LocalDateTime(year: year, month: 1, day: 1).secondsSinceEpoch
        let day: Int64
        switch boundary.date {
        case let .julianNoLeap(n):
            let leap = LocalDateTime.daysIn(month: 2, year: year) == 29
            day = Int64(n - 1 + (leap && n >= 60 ? 1 : 0))
        case let .zeroBased(n):
            day = Int64(n)
        case let .month(m, w, d):
            let first = LocalDateTime(year: year, month: m, day: 1).secondsSinceEpoch
            // 1970-01-01 was a Thursday (weekday 4).
            let firstWeekday = Int(((first / 86400 + 4) % 7 + 7) % 7)
            var dayOfMonth = 1 + (d - firstWeekday + 7) % 7 + (w - 1) * 7
            let length = LocalDateTime.daysIn(month: m, year: year)
            while dayOfMonth > length { dayOfMonth -= 7 }
            return first + Int64(dayOfMonth - 1) * 86400 + Int64(boundary.time)
        }
        return jan1 + day * 86400 + Int64(boundary.time)
    }

    /// Parses the rule; nil when it is not one.
    init?(_ text: [UInt8]) {
        var p = Parser(bytes: text)
        guard p.name(), let std = p.offset(hoursLimit: 24) else { return nil }
        standard = -std
        if p.atEnd { return }
        guard p.name() else { return nil }
        var dst = standard + 3600
        if let explicit = p.offset(hoursLimit: 24) { dst = -explicit }
        daylight = dst
        if p.atEnd { return }  // no rule given; POSIX leaves the dates to the implementation
        guard p.take(UInt8(ascii: ",")), let s = p.boundary(), p.take(UInt8(ascii: ",")), let e = p.boundary(), p.atEnd else {
            return nil
        }
        start = s
        end = e
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0
        var atEnd: Bool { at == bytes.count }

        mutating func take(_ c: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == c else { return false }
            at += 1
            return true
        }

        /// `<...>` or three or more letters.
        mutating func name() -> Bool {
            if take(UInt8(ascii: "<")) {
                guard let close = bytes[at...].firstIndex(of: UInt8(ascii: ">")), close - at >= 3 else { return false }
                at = close + 1
                return true
            }
            let start = at
            while at < bytes.count, (bytes[at] | 0x20) >= UInt8(ascii: "a"), (bytes[at] | 0x20) <= UInt8(ascii: "z") { at += 1 }
            return at - start >= 3
        }

        mutating func number(maxDigits: Int) -> Int? {
            var value = 0, digits = 0
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39, digits < maxDigits {
                value = value * 10 + Int(bytes[at] - 0x30)
                at += 1
                digits += 1
            }
            return digits == 0 ? nil : value
        }

        /// `[+-]hh[:mm[:ss]]` in seconds.
        mutating func offset(hoursLimit: Int) -> Int? {
            var sign = 1
            if take(UInt8(ascii: "-")) { sign = -1 } else { _ = take(UInt8(ascii: "+")) }
            guard let h = number(maxDigits: 3), h <= hoursLimit else { return nil }
            var seconds = h * 3600
            if take(UInt8(ascii: ":")) {
                guard let m = number(maxDigits: 2), m < 60 else { return nil }
                seconds += m * 60
                if take(UInt8(ascii: ":")) {
                    guard let s = number(maxDigits: 2), s < 60 else { return nil }
                    seconds += s
                }
            }
            return sign * seconds
        }

        mutating func boundary() -> Boundary? {
            let date: DateRule
            if take(UInt8(ascii: "J")) {
                guard let n = number(maxDigits: 3), (1...365).contains(n) else { return nil }
                date = .julianNoLeap(n)
            } else if take(UInt8(ascii: "M")) {
                guard let m = number(maxDigits: 2), (1...12).contains(m), take(UInt8(ascii: ".")),
                      let w = number(maxDigits: 1), (1...5).contains(w), take(UInt8(ascii: ".")),
                      let d = number(maxDigits: 1), (0...6).contains(d) else { return nil }
                date = .month(m, w, d)
            } else {
                guard let n = number(maxDigits: 3), (0...365).contains(n) else { return nil }
                date = .zeroBased(n)
            }
            var time = 7200
            if take(UInt8(ascii: "/")) {
                // RFC 8536 §3.3.1 extends the time to -167...167 hours.
                guard let t = offset(hoursLimit: 167) else { return nil }
                time = t
            }
            return Boundary(date: date, time: time)
        }
    }
}
