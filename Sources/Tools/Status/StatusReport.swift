package import Daemon
public import FoundationEssentials
import PocGateCore
import Store
#if canImport(Glibc)
import Glibc
#endif

/// What `pocgate status` reports: the daemon's runtime status file combined with a read-only
/// look at the database, and a verdict.
public struct StatusReport: Codable, Sendable {
    /// The verdict (the exit code is `exitCode`, or `pluginState` for monitoring).
    public enum Health: String, Codable, Sendable {
        /// Running, ready, uploading, queue young enough.
        case ok
        /// Something needs a person: daemon not running or stale status, queue older than
        /// `--max-age`, last upload failed, an activity stalled, no database yet.
        case attention
        /// The database cannot be read.
        case unreadable
    }

    /// The daemon as its status file describes it.
    public struct Daemon: Codable, Sendable {
        /// The process named in the status file is alive and is pocgate.
        public var running: Bool
        public var statusFile: String
        public var pid: Int32?
        package var state: RuntimeStatus.State?
        public var ready: Bool
        public var startedAt: Date?
        public var updatedAt: Date?
        public var stalled: String?
        public var watchdogSeconds: Double?
    }

    /// The outbox.
    public struct Queue: Codable, Sendable {
        public var depth: Int?
        public var oldestPendingAt: Date?
        public var oldestPendingAgeSeconds: Int?
        public var maxAgeSeconds: Int
        public var withFailedAttempts: Int?
    }

    /// Counts from the database.
    public struct Database: Codable, Sendable {
        public var path: String
        public var schemaVersion: Int
        public var readings: Int
        public var delivered: Int
        public var sessions: Int
        public var lastSessionStartedAt: Date?
        public var lastDeliveredAt: Date?
        /// Control-solution results stored and never uploaded.
        public var controlResults: Int?
        /// Readings held back from upload for an implausible meter clock, per reason.
        public var heldReadings: [String: Int]?
    }

    public var health: Health
    /// One sentence per thing that needs attention, most important first.
    public var problems: [String]
    public var checkedAt: Date
    public var daemon: Daemon
    package var devices: [DeviceStatus]
    public var queue: Queue
    package var lastUpload: UploadResult?
    public var store: Database?
    /// Why the database could not be looked at (not there, not readable, refused), as the exit
    /// status every command gives for that cause; nil when it was read.
    package var cause: ExitStatus?

    /// Gathers the report for a daemon configured with `config`.
    /// - Parameter maxAge: how long a reading may wait for the data center before it needs
    ///   attention.
    package static func gather(config: GatewayConfig, maxAge: Duration, now: Date = Date()) -> StatusReport {
        let file = StatusFile.resolve(statusPath: config.statusPath, storePath: config.storePath)
        let maxAgeSeconds = Int(maxAge / .seconds(1))
        var report = StatusReport(health: .ok, problems: [], checkedAt: now,
                                  daemon: Daemon(running: false, statusFile: file.path, ready: false), devices: [],
                                  queue: Queue(maxAgeSeconds: maxAgeSeconds), store: nil)
        let unreadable = !report.addStore(path: config.storePath)
        report.addDaemon(file: file)
        report.problems.append(contentsOf: config.unfinishedSetup)
        if let oldest = report.queue.oldestPendingAt {
            let age = Int(now.timeIntervalSince(oldest))
            report.queue.oldestPendingAgeSeconds = age
            if age > maxAgeSeconds {
                report.problems.append("the oldest undelivered reading has waited \(Self.span(age)), "
                                       + "longer than \(Self.span(maxAgeSeconds)) (--max-age): check the network and the data center")
            }
        }
        if let upload = report.lastUpload, !upload.ok {
            report.problems.append("the last upload failed: \(upload.detail)")
        }
        report.health = unreadable ? .unreadable : report.problems.isEmpty ? .ok : .attention
        return report
    }

    /// Adds the database's counts; false when the database exists but cannot be read.
    private mutating func addStore(path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else {
            problems.append("no database at \(path) yet: the daemon has never started with this configuration")
            cause = .noInput
            return true
        }
        let stats: StoreStatus
        do throws(StoreError) {
            // The checks the daemon and every tool apply before opening it (a planted link, a
            // directory, another user's file), so the same cause gives the same verdict.
            do {
                try PrivateFile.checkLocation(path)
            } catch {
                throw .unsafeFile(error)
            }
            stats = try StoreReader(path: path).status()
        } catch {
            problems.append("cannot read the database: \(error)")
            cause = ExitStatus.of(error)
            return false
        }
        store = Database(path: path, schemaVersion: stats.schemaVersion, readings: stats.readings,
                         delivered: stats.delivered, sessions: stats.sessions,
                         lastSessionStartedAt: stats.lastSessionStartedAtMillis.map(Self.date),
                         lastDeliveredAt: stats.lastDeliveredAtMillis.map(Self.date), controlResults: stats.controlResults,
                         heldReadings: stats.heldReadings)
        let clockHeld = QueueText.clockHolds(stats.heldReadings)
        if !clockHeld.isEmpty {
            problems.append("\(clockHeld.values.reduce(0, +)) readings held back for an implausible meter clock ("
                            + QueueText.heldText(clockHeld) + "): set the meter's clock, then "
                            + "'pocgate queue release --reason clock' (PG-CLK-002)")
        }
        if let unbound = stats.heldReadings[PatientHold.unbound.rawValue], unbound > 0 {
            problems.append("\(unbound) readings held back: their device is bound to no patient (patients.binding: gateway); "
                            + "bind it with 'pocgate bind DEVICE_SERIAL RESIDENT_ID' (PG-PAT-001)")
        }
        if let invalid = stats.heldReadings[PatientHold.invalidPatientID.rawValue], invalid > 0 {
            problems.append("\(invalid) readings held back: their patient ID is not a valid resident ID; correct the "
                            + "binding ('pocgate bind') or the ID entered on the device, then "
                            + "'pocgate queue release --reason invalid-patient-id', or attach the right patient "
                            + "('pocgate queue held', 'pocgate queue attach') (PG-PAT-002)")
        }
        if let missing = stats.heldReadings[PatientHold.missingPatientID.rawValue], missing > 0 {
            problems.append("\(missing) ECG readings held back: the cart sent no patient ID; attach the patient with "
                            + "'pocgate queue held', then 'pocgate queue attach READING RESIDENT_ID' (PG-PAT-006)")
        }
        queue.depth = stats.pending
        queue.withFailedAttempts = stats.pendingWithError
        queue.oldestPendingAt = stats.oldestPendingReceivedAtMillis.map(Self.date)
        return true
    }

    private mutating func addDaemon(file: StatusFile) {
        let status: RuntimeStatus
        do {
            status = try file.read()
        } catch .missing {
            problems.append("the daemon is not running (no status file at \(file.path))")
            return
        } catch {
            problems.append("the daemon's status is unknown: \(error)")
            return
        }
        daemon.pid = status.pid
        daemon.state = status.state
        daemon.startedAt = status.startedAt
        daemon.updatedAt = status.updatedAt
        daemon.stalled = status.stalled
        daemon.watchdogSeconds = status.watchdogSeconds
        lastUpload = status.lastUpload
        daemon.running = status.state != .stopped && Self.isPocgate(pid: status.pid)
        guard daemon.running else {
            problems.insert(status.state == .stopped
                            ? "the daemon is not running (it stopped at \(Self.local(status.updatedAt)))"
                            : "the daemon is not running (pid \(status.pid) is gone; the status file is stale)", at: 0)
            return
        }
        daemon.ready = status.ready
        devices = status.devices
        for d in status.devices {
            if let problem = d.problem { problems.append("\(d.devnode) (\(d.profile)): \(problem) (PG-SES-010)") }
        }
        if !status.ready { problems.append("the daemon is not ready (\(status.state.rawValue))") }
        if let stalled = status.stalled {
            problems.append("\(stalled) makes no progress; systemd's watchdog will restart pocgate")
        }
    }

    /// Whether `pid` is a live pocgate process.
    package static func isPocgate(pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return true }
        return comm.hasPrefix("pocgate")
    }

    private static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// `45 s`, `12 min`, `5 h 3 min`, `3 d 4 h`.
    package static func span(_ seconds: Int) -> String {
        switch seconds {
        case ..<120: return "\(seconds) s"
        case ..<7200: return "\(seconds / 60) min"
        case ..<172_800: return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: return "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
        }
    }

    /// A time in the gateway's zone, `2024-06-15 08:30:00`.
    package static func local(_ date: Date) -> String {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let zone = ZoneInfo.current
        let text = LocalDateTime(secondsSinceEpoch: seconds + Int64(zone.secondsFromGMT(at: seconds))).description
        return text.replacing("T", with: " ")
    }
}
