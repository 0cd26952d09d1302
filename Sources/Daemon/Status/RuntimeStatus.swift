public import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's runtime status file (`status.path`, default `/run/pocgate/status.json`):
/// written atomically by the daemon whenever something changes, read by `pocgate status`.
/// It holds no patient data: device nodes, profile ids, counts and times.
public struct RuntimeStatus: Codable, Sendable, Equatable {
    /// The lifecycle phase of the daemon.
    public enum State: String, Codable, Sendable {
        case starting, running, reloading, stopping, stopped
    }

    /// The file format; bumped when a field changes meaning.
    public var format = 1
    /// The daemon's process id.
    public var pid: Int32
    /// When the daemon started.
    public var startedAt: Date
    /// When this file was written.
    public var updatedAt: Date
    public var state: State
    /// The daemon told systemd READY=1 and serves devices.
    public var ready: Bool
    /// The systemd watchdog interval in seconds, when systemd runs one.
    public var watchdogSeconds: Double?
    /// The activity whose progress stalled (the watchdog stops pinging), when one did.
    public var stalled: String?
    /// The database file.
    public var storePath: String
    /// Ports with a matched profile.
    public var devices: [DeviceStatus]
    /// Readings waiting for the data center.
    public var queueDepth: Int?
    /// When the oldest waiting reading was received.
    public var oldestPendingAt: Date?
    /// The outcome of the most recent upload attempt.
    public var lastUpload: UploadResult?

    public init(pid: Int32, startedAt: Date, updatedAt: Date, state: State, ready: Bool, watchdogSeconds: Double?,
                stalled: String?, storePath: String, devices: [DeviceStatus], queueDepth: Int?,
                oldestPendingAt: Date?, lastUpload: UploadResult?) {
        self.pid = pid
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.state = state
        self.ready = ready
        self.watchdogSeconds = watchdogSeconds
        self.stalled = stalled
        self.storePath = storePath
        self.devices = devices
        self.queueDepth = queueDepth
        self.oldestPendingAt = oldestPendingAt
        self.lastUpload = lastUpload
    }
}

/// One port the daemon serves.
public struct DeviceStatus: Codable, Sendable, Equatable {
    /// The device node, e.g. `/dev/ttyUSB0`.
    public var devnode: String
    /// The profile that matched it.
    public var profile: String
    /// `vendor:product` of the USB parent, when on USB.
    public var usb: String?
    /// The device's Bluetooth address, when over Bluetooth (LE or a bound serial device).
    public var bluetooth: String?
    /// When the port was attached.
    public var attachedAt: Date
    /// When the last new reading from it was stored.
    public var lastReadingAt: Date?
    /// A session with the device is running now.
    public var inSession: Bool
    /// How the profile was chosen when several claimed the port equally (a bare USB bridge):
    /// which candidates were probed and which answered; nil when the match was unambiguous.
    public var verdict: String?
    /// What is wrong with the device on this port as the last session found it (a link that
    /// does not speak the profile's protocol: "not an SCP-ECG cart"); nil when nothing is.
    public var problem: String?

    public init(devnode: String, profile: String, usb: String?, bluetooth: String? = nil, attachedAt: Date, lastReadingAt: Date?,
                inSession: Bool, verdict: String? = nil, problem: String? = nil) {
        self.problem = problem
        self.devnode = devnode
        self.profile = profile
        self.usb = usb
        self.bluetooth = bluetooth
        self.attachedAt = attachedAt
        self.lastReadingAt = lastReadingAt
        self.inSession = inSession
        self.verdict = verdict
    }
}

/// What the last upload attempt did.
public struct UploadResult: Codable, Sendable, Equatable {
    public var at: Date
    /// Every reading of the batch was acknowledged (partially delivered counts as not ok).
    public var ok: Bool
    /// A short human description: `delivered 25`, the failure reason.
    public var detail: String

    public init(at: Date, ok: Bool, detail: String) {
        self.at = at
        self.ok = ok
        self.detail = detail
    }
}
