import Synchronization

/// Liveness of one long-running activity (the uplink worker, a device session), read by the
/// daemon's watchdog loop.
///
/// An activity is either idle (waiting for work: always healthy, however long) or busy since
/// its last sign of progress. A busy activity that has made no progress for longer than
/// `limit` is stalled; the watchdog then stops confirming liveness to systemd, which restarts
/// the daemon. Waiting is never mistaken for hanging, so an idle daemon needs no periodic
/// wake-ups to stay "alive".
public final class Heartbeat: Sendable {
    /// What the activity is, for the log line that reports a stall.
    public let name: String
    /// The longest a busy activity may go without progress.
    public let limit: Duration
    private let busySince = Mutex<ContinuousClock.Instant?>(nil)

    public init(name: String, limit: Duration) {
        self.name = name
        self.limit = limit
    }

    /// The activity started work or made progress: restarts the stall clock.
    public func beat() {
        busySince.withLock { $0 = .now }
    }

    /// The activity is waiting for work.
    public func idle() {
        busySince.withLock { $0 = nil }
    }

    /// How long the activity has been busy since its last sign of progress; nil when idle.
    public func busyDuration(at now: ContinuousClock.Instant = .now) -> Duration? {
        busySince.withLock { $0 }.map { now - $0 }
    }

    /// How long the activity has gone without progress beyond its limit, or nil when it is
    /// idle or within its limit.
    public func overdue(at now: ContinuousClock.Instant = .now) -> Duration? {
        guard let since = busySince.withLock({ $0 }) else { return nil }
        let quiet = now - since
        return quiet > limit ? quiet : nil
    }
}
