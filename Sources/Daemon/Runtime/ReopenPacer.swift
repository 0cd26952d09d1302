/// How long a port worker waits before opening its port again: the profile's poll interval
/// while the device answers, doubling after every session in which the port stayed quiet
/// (no answer, stopped answering, nothing to probe, cannot open) up to `cap`, so a cable with
/// no meter behind it, or a Bluetooth device out of range, is not hammered.
package struct ReopenPacer: Sendable, Equatable {
    /// The wait after a session with an answer (the profile's poll interval).
    package let base: Duration
    /// The longest wait, however long the port has been quiet.
    package let cap: Duration
    /// Quiet sessions in a row.
    private(set) var quietStreak = 0

    /// `cap` is raised to `base` when smaller.
    package init(base: Duration, cap: Duration = .seconds(600)) {
        self.base = base
        self.cap = max(cap, base)
    }

    /// Records how a session ended and returns how long to wait before the next one:
    /// `base` after an answer, `base`·2^(n-1) (at most `cap`) after the n-th quiet one in a row.
    package mutating func sessionEnded(quiet: Bool) -> Duration {
        guard quiet else {
            quietStreak = 0
            return base
        }
        quietStreak += 1
        var delay = base
        for _ in 1..<quietStreak {
            delay = delay * 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }

    /// Whether the last session was quiet long enough that the wait has grown (worth a log line
    /// the first time it does).
    package var isBackingOff: Bool { quietStreak >= 2 }
}
