internal import Foundation

/// The `Retry-After` header of a 429 or 503 answer: delay-seconds or an HTTP-date (RFC 9110
/// §10.2.3), turned into the Unix-milliseconds instant the next attempt may start.
enum RetryAfter {
    /// The longest wait pocgate accepts from a server; a larger value is capped.
    static let maximumMillis: Int64 = 24 * 3_600_000

    /// The instant named by `value`, relative to `nowMillis` for delay-seconds; nil when
    /// the value is neither form.
    static func instant(_ value: String, nowMillis: Int64) -> Int64? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
            let seconds = Int64(text.prefix(9)) ?? Int64(maximumMillis / 1000)
            return nowMillis + min(seconds * 1000, maximumMillis)
        }
        guard let date = httpDate(text) else { return nil }
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        return min(max(millis, nowMillis), nowMillis + maximumMillis)
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), and the obsolete RFC 850 and asctime forms.
    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
