public import PocGateCore

/// Where a session delivers what it reads. The daemon's sink commits each reading to the
/// store before returning, so a record counts as received only once it is durable.
public protocol SessionSink: AnyObject {
    /// The device said who it is. Called once, before any reading.
    func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws
    /// One reading; returns true when it was new (false: already stored from an earlier dump).
    func received(_ reading: Reading) throws -> Bool
    /// A record that could not become a reading (logged with its raw bytes).
    func rejected(_ why: String, raw: [UInt8])
    /// Whether the session should stop early (daemon shutting down).
    var shouldStop: Bool { get }
    /// The key of the reading stored last for the identified device among those whose key
    /// starts with `prefix`, so a session can ask the device only for newer records; nil when
    /// none is stored or the sink keeps no history.
    func latestRecordKey(prefix: String) -> String?
}

extension SessionSink {
    /// No history: the session asks the device for everything (the store de-duplicates).
    public func latestRecordKey(prefix: String) -> String? { nil }
}

/// Thrown by a sink that has no room for another record (store full). The session stops
/// reading the device and ends with `.storeFull`; nothing read is lost, since the device keeps it.
public struct SinkFullError: Error, Sendable, CustomStringConvertible {
    /// What is full, for the log.
    public var detail: String

    public init(detail: String) { self.detail = detail }

    public var description: String { detail }
}

/// How a session ended.
public struct SessionSummary: Sendable, Equatable {
    /// Why it ended.
    public var outcome: SessionOutcome
    /// The device's serial, once known.
    public var deviceSerial: String?
    /// Records the device announced.
    public var recordsAnnounced: Int
    /// Records read and handed to the sink.
    public var recordsRead: Int
    /// Of those, how many were new.
    public var recordsNew: Int
    /// Bytes read but not part of a whole frame when the link or the conversation ended
    /// (a record cut by an unplug, trailing noise).
    public var pendingBytes: Int = 0
}

/// Why a session ended.
public enum SessionOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Every record was read.
    case complete
    /// The device never answered the wake-up (switched off, not attached to the cable).
    case noAnswer
    /// A device that speaks first sent nothing for the whole listening window (the profile's
    /// quiet time): a normal, idle port. It is closed and opened again after the poll interval,
    /// without the back-off a device that does not answer gets.
    case quiet
    /// The device disconnected mid-session; everything read before is kept.
    case unplugged
    /// The device stopped answering a command after all retries.
    case timedOut(command: String)
    /// The daemon is stopping.
    case stopped
    /// The sink (store) failed; the session stops so no record is read without being kept.
    case storeFailed(String)
    /// The sink has no room (store at its cap, or disk full): the session stops draining the
    /// device, which keeps its history; the next poll tries again.
    case storeFull(String)
    /// The transport failed in another way.
    case transportFailed(String)
    /// The bytes on the line are not the profile's protocol at all (an ECG port receiving no
    /// SCP-ECG record): the wrong device or the wrong setting on the device.
    case notThisProtocol(String)

    public var description: String {
        switch self {
        case .complete: return "complete"
        case .noAnswer: return "no-answer"
        case .quiet: return "quiet"
        case .unplugged: return "unplugged"
        case let .timedOut(c): return "timed-out(\(c))"
        case .stopped: return "stopped"
        case let .storeFailed(e): return "store-failed: \(e)"
        case .storeFull: return "store-full"
        case let .transportFailed(e): return "transport-failed: \(e)"
        case let .notThisProtocol(e): return "not-this-protocol: \(e)"
        }
    }
}
