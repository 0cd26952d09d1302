internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
internal import PocGateCore

/// The `Retry-After` header of a 429 or 503 answer: delay-seconds or an HTTP-date (RFC 9110
/// §10.2.3), turned into the Unix-milliseconds instant the next attempt may start.
enum RetryAfter {
    /// The default longest wait accepted from a server (`uplink.retry_after_max_s`): 1 hour.
    static let maximumMillis: Int64 = 3_600_000

    /// When the next attempt may start, and whether the server's wait was cut to the maximum.
    struct Wait: Equatable {
        var instantMillis: Int64
        /// The server asked for longer than the maximum (`requestedMillis`).
        var capped: Bool
        /// The wait the server asked for, milliseconds from now.
        var requestedMillis: Int64
    }

    /// The instant named by `value`, relative to `nowMillis` for delay-seconds, at most
    /// `maximumMillis` away; nil when the value is neither form.
    static func instant(_ value: String, nowMillis: Int64, maximumMillis: Int64 = maximumMillis) -> Int64? {
        wait(value, nowMillis: nowMillis, maximumMillis: maximumMillis)?.instantMillis
    }

    /// Like `instant`, saying whether the wait was capped.
    static func wait(_ value: String, nowMillis: Int64, maximumMillis: Int64 = maximumMillis) -> Wait? {
        let text = value.trimmingWhitespace()
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        let requested: Int64
        if text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
            // More than 9 digits is more than 31 years: over any cap.
            requested = text.count > 9 ? Int64.max / 4 : (Int64(text) ?? 0) * 1000
        } else {
            guard let seconds = httpDate(text, nowYear: LocalDateTime(secondsSinceEpoch: nowMillis / 1000).year) else { return nil }
            requested = max(0, seconds * 1000 - nowMillis)
        }
        return Wait(instantMillis: nowMillis + min(requested, maximumMillis), capped: requested > maximumMillis,
                    requestedMillis: requested)
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), and the obsolete RFC 850
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms,
    /// as Unix seconds. RFC 850's two-digit year is read as the nearest year not more than
    /// 50 years ahead of `nowYear` (RFC 9110 §5.6.7).
    static func httpDate(_ text: String, nowYear: Int = 2026) -> Int64? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func month(_ name: String) -> Int? { months.firstIndex(of: name).map { $0 + 1 } }
        func clock(_ t: String) -> (Int, Int, Int)? {
            let p = t.split(separator: ":", omittingEmptySubsequences: false)
            guard p.count == 3, p.allSatisfy({ $0.count == 2 }), let h = Int(p[0]), let m = Int(p[1]), let s = Int(p[2]) else { return nil }
            return (h, m, s)
        }
        var date: LocalDateTime
        if words.count == 6, words[0].hasSuffix(","), words[5] == "GMT", let d = Int(words[1]), words[1].count == 2,
           let mo = month(words[2]), words[3].count == 4, let y = Int(words[3]), let (h, mi, s) = clock(words[4]) {
            date = LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        } else if words.count == 4, words[0].hasSuffix(","), words[3] == "GMT" {
            let dmy = words[1].split(separator: "-", omittingEmptySubsequences: false)
            guard dmy.count == 3, dmy[0].count == 2, dmy[2].count == 2, let d = Int(dmy[0]), let mo = month(String(dmy[1])),
                  let yy = Int(dmy[2]), let (h, mi, s) = clock(words[2]) else { return nil }
            var y = nowYear / 100 * 100 + yy
            if y > nowYear + 50 { y -= 100 }
            date = LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        } else if words.count == 5, let mo = month(words[1]), let d = Int(words[2]), words[4].count == 4, let y = Int(words[4]),
                  let (h, mi, s) = clock(words[3]) {
            date = LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        } else {
            return nil
        }
        guard date.isValid else { return nil }
        return date.secondsSinceEpoch
    }
}
