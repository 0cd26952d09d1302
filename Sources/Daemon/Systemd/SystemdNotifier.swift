import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The sd_notify datagram protocol, without libsystemd: `KEY=value` lines sent to the socket
/// named by `$NOTIFY_SOCKET` (a path, or `@name` for an abstract socket).
///
/// The daemon tells systemd `READY=1` once it serves, `STATUS=` what it is doing,
/// `WATCHDOG=1` while it is healthy, `RELOADING=1` … `READY=1` around a reload and
/// `STOPPING=1` on the way out. Outside systemd (`$NOTIFY_SOCKET` unset) there is no notifier
/// and nothing is sent.
public final class SystemdNotifier: @unchecked Sendable {
    private let socket: UnixDatagramSender
    /// The socket path as systemd gave it.
    public var path: String { socket.path }

    /// The notifier for `environment["NOTIFY_SOCKET"]`, or nil when the variable is unset or
    /// empty (not started by systemd with `Type=notify`).
    public convenience init?(environment: [String: String]) throws(NotifyError) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        try self.init(path: path)
    }

    /// A notifier sending to `path` (absolute path or `@abstract`).
    public init(path: String) throws(NotifyError) {
        do {
            socket = try UnixDatagramSender(path: path)
        } catch {
            throw .unusableSocket(path: path, reason: error.description)
        }
    }

    /// Sends one notification: the given `KEY=value` assignments, one datagram.
    public func notify(_ assignments: [String]) throws(NotifyError) {
        let text = assignments.map { $0.replacing("\n", with: " ") }.joined(separator: "\n")
        let code = socket.send(Array(text.utf8))
        guard code == 0 else { throw .sendFailed(path: path, errno: code) }
    }

    /// `MONOTONIC_USEC=` for `RELOADING=1`: CLOCK_MONOTONIC now, in microseconds.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC`, or nil when systemd runs no
    /// watchdog for this process (variable unset or zero, or `$WATCHDOG_PID` names another
    /// process).
    public static func watchdogInterval(environment: [String: String], pid: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty, Int32(owner) != pid { return nil }
        return .microseconds(Int64(clamping: usec / 2))
    }
}

/// Why a systemd notification could not be sent.
public enum NotifyError: Error, Equatable, CustomStringConvertible {
    /// `$NOTIFY_SOCKET` is not a usable address, or no socket could be made.
    case unusableSocket(path: String, reason: String)
    /// `sendmsg` failed; systemd may miss READY/WATCHDOG and act on its timeouts.
    case sendFailed(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .unusableSocket(let path, let reason):
            return "NOTIFY_SOCKET \(path): \(reason)"
        case .sendFailed(let path, let code):
            return "cannot notify systemd through \(path): \(String(cString: strerror(code))) (errno \(code)); "
                + "check that the unit has Type=notify and NotifyAccess is not restricted to another process"
        }
    }
}
