public import DeviceProfiles
public import FrameParsing
public import Logging
public import PocGateCore
public import Transports

/// A live conversation with one device, made by its family's driver for one link.
public protocol LiveSession: AnyObject {
    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    func run(into sink: any SessionSink) -> SessionSummary
    /// Frames skipped so far (garbage, bad checksums), for the session's log line.
    var counters: DecodeCounters { get }
    /// Bytes read but not part of a whole frame when the conversation ended.
    var pendingBytes: Int { get }
}

/// What a driver needs to start a session on a link.
public struct SessionContext {
    /// The link to the device; a session wraps it so only its protocol's read commands leave.
    public var link: any DeviceLink
    /// The profile that claimed the device.
    public var profile: DeviceProfile
    public var logger: Logger
    /// The gateway's local time now, for protocols whose answers carry one (HL7 ACK MSH-7).
    public var localNow: @Sendable () -> LocalDateTime
    /// The identity of a device whose records name no serial (an ECG cart): its USB serial or
    /// Bluetooth address, from discovery.
    public var fallbackSerial: String

    public init(link: any DeviceLink, profile: DeviceProfile, logger: Logger,
                localNow: @escaping @Sendable () -> LocalDateTime, fallbackSerial: String) {
        self.link = link
        self.profile = profile
        self.logger = logger
        self.localNow = localNow
        self.fallbackSerial = fallbackSerial
    }
}

extension LiveSession {
    /// Runs the conversation and completes its summary with the bytes left pending.
    public func runToEnd(into sink: any SessionSink) -> SessionSummary {
        var summary = run(into: sink)
        summary.pendingBytes = pendingBytes
        return summary
    }
}
