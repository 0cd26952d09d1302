package import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Logging
import PocGateCore
import Services
import Synchronization
package import Uplink

/// Keeps the runtime status file and systemd's `STATUS=` line current: it wakes only when the
/// gateway reports a change, publishes at most once a second while changes keep coming, and
/// sends `STATUS=` only when its text changed. Idle, it never wakes, except for the heartbeat
/// interval when a `FleetReporter` (heartbeat, metrics file) rides on its thread: the
/// reporter needs a thread only every interval and after changes, which is exactly when this
/// one runs, so the gateway gains no thread and no idle wake-up beyond the interval itself.
package final class StatusPublisher: @unchecked Sendable {
    /// The fewest seconds between two publications while changes keep coming.
    package static let minimumInterval: TimeInterval = 1

    private let gateway: Gateway
    private let file: StatusFile
    private let systemd: SystemdChannel
    private let logger: Logger
    private let storePath: String
    private let startedAt = Date()
    private let watchdogSeconds: Double?
    private let fleet: FleetReporter?
    /// Sends no more heartbeats (the daemon is stopping).
    private let cancelFleet: @Sendable () -> Void

    /// What the gateway's threads tell the publisher's thread, which waits on it.
    private struct Shared {
        var dirty = false
        var stopRequested = false
        var state = RuntimeStatus.State.starting
        var ready = false
        var stalled: String?
        var lastUpload: UploadResult?
        /// When the fleet reporter wants to run again without a change (Unix ms); nil: never.
        var fleetWakeMillis: Int64?
    }

    /// What was published last; its lock serializes publications (the thread and the main
    /// thread both publish).
    private struct Published {
        var written: RuntimeStatus?
        var line: String?
        var writeError: String?
    }

    private let shared: Monitor<Shared>
    private let published = Mutex(Published())
    private let thread = Mutex<ServiceThread?>(nil)

    package init(gateway: Gateway, file: StatusFile, systemd: SystemdChannel, logger: Logger, storePath: String,
         watchdog: Duration?, fleet: FleetReporter? = nil, cancelFleet: @escaping @Sendable () -> Void = {}) {
        self.gateway = gateway
        self.file = file
        self.systemd = systemd
        self.logger = logger
        self.storePath = storePath
        watchdogSeconds = watchdog.map { $0 / .seconds(1) * 2 }
        self.fleet = fleet
        self.cancelFleet = cancelFleet
        shared = Monitor(Shared(fleetWakeMillis: fleet == nil ? nil : 0))  // the first heartbeat and metrics file at start
    }

    /// The `STATUS=` text last published.
    package var statusLine: String { published.withLock { $0.line ?? "" } }

    /// Something the status shows may have changed.
    package func markChanged() {
        shared.update { $0.dirty = true }
    }

    /// Remembers the outcome of an upload attempt (the change itself comes through `markChanged`).
    package func recordUpload(_ outcome: DrainOutcome) {
        fleet?.uploads.record(outcome, duration: gateway.uploadAttemptDuration())
        guard let result = UploadResult(outcome, at: Date()) else { return }
        shared.withLock { $0.lastUpload = result }
    }

    /// Sets the lifecycle state and publishes it at once, on the caller's thread. With
    /// `notify` false the caller sends `statusLine` to systemd itself, together with
    /// `READY=1` or `STOPPING=1`.
    package func set(state: RuntimeStatus.State, ready: Bool, notify: Bool = true) {
        shared.withLock {
            $0.state = state
            $0.ready = ready
        }
        publish(notify: notify)
    }

    /// Names the stalled activity (nil: none) and publishes at once.
    package func set(stalled: String?) {
        shared.withLock { $0.stalled = stalled }
        publish()
    }

    /// Starts the thread that publishes changes.
    package func start() {
        thread.withLock { thread in
            guard thread == nil else { return }
            shared.withLock { $0.stopRequested = false }
            thread = ServiceThread(name: "pocgate-status") { [self] in run() }
        }
    }

    /// Stops the thread, then publishes `state` a last time.
    package func stop(final state: RuntimeStatus.State) {
        cancelFleet()
        shared.update { $0.stopRequested = true }
        thread.withLock { $0 }?.join()
        set(state: state, ready: false, notify: false)
    }

    private func run() {
        while true {
            // Sleep until a change, the stop, or the fleet reporter's next run (wall-clock
            // milliseconds, waited for on the monotonic clock from now).
            let wake = shared.withLock { $0.fleetWakeMillis }
            let deadline = wake.map { ContinuousClock.now + .milliseconds(max(0, $0 - WallClock.millis())) }
            shared.wait(until: deadline) { $0.stopRequested || $0.dirty }
            let (stop, changed) = shared.withLock { s -> (Bool, Bool) in
                defer { s.dirty = false }
                return (s.stopRequested, s.dirty)
            }
            if stop { return }
            let fleetDue = wake.map { WallClock.millis() >= $0 } ?? false
            guard changed || fleetDue else { continue }
            if changed { publish() }
            let next = fleet?.tick(nowMillis: WallClock.millis(), changed: changed)
            shared.withLock { $0.fleetWakeMillis = next }
            guard changed else { continue }
            // At most one publication a second while changes keep coming.
            shared.wait(until: .now + .seconds(Self.minimumInterval)) { $0.stopRequested }
        }
    }

    /// Writes the status file when its content changed and sends `STATUS=` when the line did.
    private func publish(notify: Bool = true) {
        published.withLock { last in
            let status = snapshot()
            var unchanged = last.written
            unchanged?.updatedAt = status.updatedAt
            if unchanged != status {
                do {
                    try file.write(status)
                    last.written = status
                    last.writeError = nil
                } catch {
                    if last.writeError != "\(error)" {
                        last.writeError = "\(error)"
                        logger.warning("cannot write the runtime status file; `pocgate status` will report the daemon as not running",
                                       metadata: ["code": "\(LogCode.statusWriteFailed)", "error": "\(error)"])
                    }
                }
            }
            let line = StatusLine.text(status)
            if line != last.line {
                last.line = line
                if notify { systemd.send(["STATUS=" + line]) }
            }
        }
    }

    private func snapshot() -> RuntimeStatus {
        let (state, ready, stalled, lastUpload) = shared.withLock { ($0.state, $0.ready, $0.stalled, $0.lastUpload) }
        let store = try? gateway.storeStats()
        return RuntimeStatus(pid: getpid(), startedAt: startedAt, updatedAt: Date(), state: state, ready: ready,
                             watchdogSeconds: watchdogSeconds, stalled: stalled, storePath: storePath,
                             devices: gateway.devices(), queueDepth: store?.pending,
                             oldestPendingAt: store?.oldestPendingReceivedAtMillis.map { Date(timeIntervalSince1970: Double($0) / 1000) },
                             lastUpload: lastUpload)
    }
}
