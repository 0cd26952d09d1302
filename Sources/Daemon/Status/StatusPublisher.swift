package import Foundation
package import Logging
import PocGateCore
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

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var dirty = false
    private var stopRequested = false
    private var threadDone = true
    private var state = RuntimeStatus.State.starting
    private var ready = false
    private var stalled: String?
    private var lastUpload: UploadResult?
    /// When the fleet reporter wants to run again without a change (Unix ms); nil: never.
    private var fleetWakeMillis: Int64?

    /// Serializes publications (the thread and the main thread both publish).
    private let publishLock = NSLock()
    private var lastWritten: RuntimeStatus?
    private var lastLine: String?
    private var lastWriteError: String?

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
        fleetWakeMillis = fleet == nil ? nil : 0  // the first heartbeat and metrics file at start
    }

    /// The `STATUS=` text last published.
    package var statusLine: String { publishLock.withLock { lastLine ?? "" } }

    /// Something the status shows may have changed.
    package func markChanged() {
        condition.lock()
        dirty = true
        condition.signal()
        condition.unlock()
    }

    /// Remembers the outcome of an upload attempt (the change itself comes through `markChanged`).
    package func recordUpload(_ outcome: DrainOutcome) {
        fleet?.uploads.record(outcome, duration: gateway.uploadAttemptDuration())
        guard let result = UploadResult(outcome, at: Date()) else { return }
        condition.withLock { lastUpload = result }
    }

    /// Sets the lifecycle state and publishes it at once, on the caller's thread. With
    /// `notify` false the caller sends `statusLine` to systemd itself, together with
    /// `READY=1` or `STOPPING=1`.
    package func set(state: RuntimeStatus.State, ready: Bool, notify: Bool = true) {
        condition.withLock {
            self.state = state
            self.ready = ready
        }
        publish(notify: notify)
    }

    /// Names the stalled activity (nil: none) and publishes at once.
    package func set(stalled: String?) {
        condition.withLock { self.stalled = stalled }
        publish()
    }

    /// Starts the thread that publishes changes.
    package func start() {
        condition.withLock {
            stopRequested = false
            threadDone = false
        }
        let thread = Thread { [self] in run() }
        thread.name = "pocgate-status"
        thread.start()
    }

    /// Stops the thread, then publishes `state` a last time.
    package func stop(final state: RuntimeStatus.State) {
        cancelFleet()
        condition.lock()
        stopRequested = true
        condition.broadcast()
        while !threadDone { condition.wait() }
        condition.unlock()
        set(state: state, ready: false, notify: false)
    }

    private func run() {
        condition.lock()
        while !stopRequested {
            let fleetDue = fleetWakeMillis.map { WallClock.millis() >= $0 } ?? false
            if !dirty && !fleetDue {
                if let wake = fleetWakeMillis {
                    _ = condition.wait(until: Date(timeIntervalSince1970: Double(wake) / 1000))
                } else {
                    condition.wait()
                }
                continue
            }
            let changed = dirty
            dirty = false
            condition.unlock()
            if changed { publish() }
            let wake = fleet?.tick(nowMillis: WallClock.millis(), changed: changed)
            condition.lock()
            fleetWakeMillis = wake
            guard changed else { continue }
            let quietUntil = Date().addingTimeInterval(Self.minimumInterval)
            while !stopRequested && condition.wait(until: quietUntil) {}
        }
        threadDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Writes the status file when its content changed and sends `STATUS=` when the line did.
    private func publish(notify: Bool = true) {
        publishLock.lock()
        defer { publishLock.unlock() }
        let status = snapshot()
        var unchanged = lastWritten
        unchanged?.updatedAt = status.updatedAt
        if unchanged != status {
            do {
                try file.write(status)
                lastWritten = status
                lastWriteError = nil
            } catch {
                if lastWriteError != error.description {
                    lastWriteError = error.description
                    logger.warning("cannot write the runtime status file; `pocgate status` will report the daemon as not running",
                                   metadata: ["code": "\(LogCode.statusWriteFailed)", "error": "\(error)"])
                }
            }
        }
        let line = StatusLine.text(status)
        if line != lastLine {
            lastLine = line
            if notify { systemd.send(["STATUS=" + line]) }
        }
    }

    private func snapshot() -> RuntimeStatus {
        let (state, ready, stalled, lastUpload) = condition.withLock { (self.state, self.ready, self.stalled, self.lastUpload) }
        let store = try? gateway.storeStats()
        return RuntimeStatus(pid: getpid(), startedAt: startedAt, updatedAt: Date(), state: state, ready: ready,
                             watchdogSeconds: watchdogSeconds, stalled: stalled, storePath: storePath,
                             devices: gateway.devices(), queueDepth: store?.pending,
                             oldestPendingAt: store?.oldestPendingReceivedAtMillis.map { Date(timeIntervalSince1970: Double($0) / 1000) },
                             lastUpload: lastUpload)
    }
}
