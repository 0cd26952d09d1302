internal import Foundation

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
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        let requested: Int64
        if text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
            // More than 9 digits is more than 31 years: over any cap.
            requested = text.count > 9 ? Int64.max / 4 : (Int64(text) ?? 0) * 1000
        } else {
            guard let date = httpDate(text) else { return nil }
            let millis = (date.timeIntervalSince1970 * 1000).rounded()
            guard millis.isFinite, abs(millis) < 1e15 else { return nil }
            requested = max(0, Int64(millis) - nowMillis)
        }
        return Wait(instantMillis: nowMillis + min(requested, maximumMillis), capped: requested > maximumMillis,
                    requestedMillis: requested)
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
