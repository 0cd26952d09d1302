internal import Foundation
internal import PocGateCore
internal import Store

extension Uplink {
    /// The longest the worker sleeps before looking at the outbox again, so a wall-clock jump
    /// (a gateway without a battery-backed clock syncing late) cannot stall delivery.
    static let maximumSleepMillis: Int64 = 60_000
    /// How long the worker waits after a store failure before trying again.
    static let storeRetryMillis: Int64 = 5_000

    /// Starts the background thread that delivers whenever readings are due. Idempotent.
    /// The thread keeps the uplink alive: call `stop()` before letting it go.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !workerRunning else { return }
        workerRunning = true
        workerFinished = false
        stopRequested = false
        wakeRequested = false
        client.resetCancellation()
        let thread = Thread { [self] in self.runWorker() }
        thread.name = "pocgate-uplink"
        thread.start()
    }

    /// Tells the worker that new readings were stored, so it delivers without waiting.
    public func wake() {
        condition.lock()
        wakeRequested = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the worker and waits for it to end. An upload in progress is aborted (its
    /// readings stay queued and are sent again later); a backoff wait ends at once.
    public func stop() {
        condition.lock()
        guard workerRunning else {
            condition.unlock()
            return
        }
        stopRequested = true
        condition.broadcast()
        condition.unlock()
        client.cancel()
        condition.lock()
        while !workerFinished { condition.wait() }
        workerRunning = false
        condition.unlock()
        client.resetCancellation()  // direct drainOnce calls work again
    }

    private func runWorker() {
        logger.debug("uplink worker started")
        while true {
            condition.lock()
            let stopping = stopRequested
            wakeRequested = false
            condition.unlock()
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
        condition.lock()
        workerFinished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `wakeAt` (Unix ms; nil = until woken), `wake()` or `stop()`.
    private func sleep(until wakeAt: Int64?) {
        condition.lock()
        defer { condition.unlock() }
        while !stopRequested && !wakeRequested {
            let now = Self.wallClockMillis()
            let target = min(wakeAt ?? .max, now + Self.maximumSleepMillis)
            if target <= now { return }
            _ = condition.wait(until: Date(timeIntervalSince1970: Double(target) / 1000))
            if Self.wallClockMillis() >= target { return }
        }
    }

    /// The gateway's wall clock in Unix milliseconds.
    public static func wallClockMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
