internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
internal import PocGateCore

/// FHIR date-time texts for device wall-clock times and gateway instants.
struct FHIRTime: Sendable {
    let zone: ZoneInfo

    /// `local` (a meter's wall-clock time in `zone`) as a FHIR dateTime with that zone's offset
    /// on that date, e.g. `2024-06-15T08:30:00+08:00`.
    func dateTime(_ local: LocalDateTime) -> String {
        local.description + Self.offsetText(seconds: offsetSeconds(at: local))
    }

    /// The zone's UTC offset in force at wall-clock time `local`. Around a daylight-saving
    /// change, where a wall time is skipped or occurs twice, one of the two offsets is used.
    func offsetSeconds(at local: LocalDateTime) -> Int {
        let wall = local.secondsSinceEpoch
        let guess = zone.secondsFromGMT(at: wall)
        let first = zone.secondsFromGMT(at: wall - Int64(guess))
        if first == guess { return guess }
        let second = zone.secondsFromGMT(at: wall - Int64(first))
        return second == first ? first : max(first, second)
    }

    /// `+08:00`, `-03:30`, `+00:00`; seconds of historic local-mean-time offsets are dropped.
    static func offsetText(seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return sign + pad(minutes / 60) + ":" + pad(minutes % 60)
    }

    /// A Unix-milliseconds instant in UTC, e.g. `2024-06-15T00:30:05.123Z`.
    static func instant(millis: Int64) -> String {
        var seconds = millis / 1000
        var fraction = millis % 1000
        if fraction < 0 {
            fraction += 1000
            seconds -= 1
        }
        let ms = String(fraction)
        return LocalDateTime(secondsSinceEpoch: seconds).description
            + "." + String(repeating: "0", count: 3 - ms.count) + ms + "Z"
    }

    private static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
