internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import PocGateCore
import Synchronization

/// What the uplink's background worker is doing, for the daemon's watchdog and status: a
/// heartbeat that is busy while a batch is being sent, and an observer told the outcome of
/// every batch the worker attempted.
public final class UplinkActivity: Sendable {
    /// Busy from the start of a drain until the worker sleeps again.
    public let heartbeat: Heartbeat
    private let observer = Mutex<(@Sendable (DrainOutcome) -> Void)?>(nil)

    init(settings: UplinkSettings) {
        // One request may take the whole connect and transfer time; the store calls around it
        // wait at most a few seconds for the database lock.
        let seconds = settings.connectTimeoutSeconds + settings.totalTimeoutSeconds + 60
        heartbeat = Heartbeat(name: "uplink", limit: .seconds(seconds))
    }

    /// Calls `observer` (on the worker's thread) after each batch the worker attempted; idle
    /// drains are not reported. Replaces any earlier observer.
    public func observe(_ observer: @escaping @Sendable (DrainOutcome) -> Void) {
        self.observer.withLock { $0 = observer }
    }

    func report(_ outcome: DrainOutcome) {
        if case .idle = outcome { return }
        observer.withLock { $0 }?(outcome)
    }
}
