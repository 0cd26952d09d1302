#if canImport(Glibc)
import Glibc
#endif

/// The one wait primitive of pocgate's threads: a state, the lock that guards it, and a
/// condition to wait for a change of it. A worker waits with `wait(until:_:)` for "told to
/// stop" or "the next poll is due"; another thread changes the state with `update`, which
/// wakes every waiter. Plain mutual exclusion without waiting uses `Mutex` (Synchronization).
///
/// Deadlines are `ContinuousClock` instants, waited for on `CLOCK_MONOTONIC`: a wall-clock
/// step (NTP, a technician setting the date) never shortens or stretches a wait.
public final class Monitor<State>: @unchecked Sendable {
    private var state: State
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init(_ state: State) {
        self.state = state
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Reads or changes the state under the lock, without waking waiters.
    public func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Changes the state under the lock and wakes every waiter to look at it.
    @discardableResult
    public func update<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Waits until `ready` holds for the state, or until `deadline` (nil: no deadline).
    /// Returns whether `ready` held; `ready` runs under the lock.
    @discardableResult
    public func wait(until deadline: ContinuousClock.Instant?, _ ready: (State) -> Bool) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard let deadline else {
            while !ready(state) { pthread_cond_wait(condition, mutex) }
            return true
        }
        var until = Self.monotonicTimespec(after: deadline - .now)
        while !ready(state) {
            if ContinuousClock.now >= deadline { return false }
            if pthread_cond_timedwait(condition, mutex, &until) == ETIMEDOUT { return ready(state) }
        }
        return true
    }

    /// `CLOCK_MONOTONIC` now plus `interval` (at least now).
    private static func monotonicTimespec(after interval: Duration) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let parts = max(interval, .zero).components
        var seconds = Int(now.tv_sec) + Int(parts.seconds)
        var nanos = Int(now.tv_nsec) + Int(parts.attoseconds / 1_000_000_000)
        if nanos >= 1_000_000_000 {
            seconds += 1
            nanos -= 1_000_000_000
        }
        return timespec(tv_sec: seconds, tv_nsec: nanos)
    }
}
