#if canImport(Glibc)
import Glibc
#endif

/// Monotonic milliseconds, for link and session deadlines (never the wall clock, which NTP
/// or a technician may move).
public enum Monotonic {
    public static func millis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
