#if canImport(Glibc)
import Glibc
#endif

/// Blocks SIGINT, SIGTERM and SIGHUP in every thread (call before starting any) and lets the
/// main thread take them one at a time with `sigwait`: no async-signal-safety traps.
public struct SignalWaiter {
    private var set = sigset_t()

    public init() {
        self.init(signals: [SIGINT, SIGTERM, SIGHUP])
    }

    /// Blocks `signals` instead of the default SIGINT, SIGTERM and SIGHUP, e.g. to add one
    /// that another thread sends to wake the main thread.
    public init(signals: [Int32]) {
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for the next signal and returns its number.
    public func next() -> Int32 {
        var s = set
        var sig: Int32 = 0
        while sigwait(&s, &sig) != 0 {}
        return sig
    }

    /// Waits for the next signal until `deadline`; nil when the deadline came first. A nil
    /// deadline waits without limit.
    public func next(until deadline: ContinuousClock.Instant?) -> Int32? {
        guard let deadline else { return next() }
        var s = set
        while true {
            let left = deadline - .now
            if left <= .zero { return nil }
            let (seconds, attoseconds) = left.components
            var timeout = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            let sig = sigtimedwait(&s, nil, &timeout)
            if sig > 0 { return sig }
            if errno != EINTR && errno != EAGAIN { return nil }
        }
    }
}
