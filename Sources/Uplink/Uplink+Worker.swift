internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
internal import PocGateCore
internal import Store
import Services

extension Uplink {
    /// The longest the worker sleeps before looking at the outbox again, so a wall-clock jump
    /// (a gateway without a battery-backed clock syncing late) cannot stall delivery.
    static let maximumSleepMillis: Int64 = 60_000
    /// How long the worker waits after a store failure before trying again.
    static let storeRetryMillis: Int64 = 5_000

    /// Starts the background thread that delivers whenever readings are due. Idempotent.
    /// The thread keeps the uplink alive: call `stop()` before letting it go.
    public func start() {
        worker.withLock { worker in
            guard worker == nil else { return }
            signals.withLock { $0 = WorkerSignals() }
            client.resetCancellation()
            worker = ServiceThread(name: "pocgate-uplink") { [self] in self.runWorker() }
        }
    }

    /// Tells the worker that new readings were stored, so it delivers without waiting.
    public func wake() {
        signals.update { $0.wakeRequested = true }
    }

    /// Stops the worker and waits for it to end. An upload in progress is aborted (its
    /// readings stay queued and are sent again later); a backoff wait ends at once.
    public func stop() {
        guard let running = worker.withLock({ $0 }) else { return }
        signals.update { $0.stopRequested = true }
        client.cancel()
        running.join()
        worker.withLock { $0 = nil }
        client.resetCancellation()  // direct drainOnce calls work again
    }

    private func runWorker() {
        logger.debug("uplink worker started")
        while true {
            let stopping = signals.withLock { s -> Bool in
                s.wakeRequested = false
                return s.stopRequested
            }
            if stopping { break }

            activity.heartbeat.beat()
            let outcome = drainOnce(nowMillis: Self.wallClockMillis())
            activity.report(outcome)
            let wakeAt: Int64?
            switch outcome {
            case .delivered, .partiallyDelivered, .refused:
                continue  // there may be more due right away
            case .waiting(let until):
                wakeAt = until  // a wake() re-checks whether the batch filled up meanwhile
            case .cancelled:
                wakeAt = nil
            case .storeFailed:
                wakeAt = Self.wallClockMillis() + Self.storeRetryMillis
            case .idle, .deferred:
                do {
                    // Not the outbox's earliest row: while a batch waits for its retry, readings
                    // due meanwhile must wait behind it, not wake the worker again and again.
                    // While the link is down the center is probed sooner than the back-off ends.
                    let due = try store.nextDueAtMillis()
                    wakeAt = [due, probeDueAtMillis].compactMap { $0 }.min()
                } catch {
                    logger.error("cannot read the outbox schedule", metadata: ["code": "\(LogCode.outboxScheduleUnreadable)", "error": "\(error)"])
                    wakeAt = Self.wallClockMillis() + Self.storeRetryMillis
                }
            }
            activity.heartbeat.idle()
            sleep(until: wakeAt)
        }
        activity.heartbeat.idle()
        logger.debug("uplink worker stopped")
    }

    /// Waits until `wakeAt` (Unix ms; nil = until woken), `wake()` or `stop()`.
    private func sleep(until wakeAt: Int64?) {
        while true {
            let now = Self.wallClockMillis()
            let target = min(wakeAt ?? .max, now + Self.maximumSleepMillis)
            if target <= now { return }
            if signals.wait(until: .now + .milliseconds(target - now), { $0.stopRequested || $0.wakeRequested }) { return }
            if Self.wallClockMillis() >= target { return }
        }
    }

    /// The gateway's wall clock in Unix milliseconds.
    public static func wallClockMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
