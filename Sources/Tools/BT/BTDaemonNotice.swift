public import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Tells the running daemon that its bindings changed: SIGHUP to the pid its status file
/// names (the daemon re-reads the bindings on its reload path, as `systemctl reload pocgate`
/// does), only when that process is a running pocgate: a stale pid reused by another program
/// is never signalled.
public enum BTDaemonNotice: Sendable, Equatable, CustomStringConvertible {
    /// Signalled; the daemon serves the new bindings within seconds.
    case reloaded(pid: Int32)
    /// No running daemon found; it reads the bindings when it starts.
    case notRunning(String)
    /// Found but could not be signalled (another user's process).
    case notSignalled(pid: Int32, errno: Int32)

    public var description: String {
        switch self {
        case let .reloaded(pid): "the running daemon (pid \(pid)) was told to reload"
        case let .notRunning(why): "no running daemon was told (\(why)); it reads the bindings when it starts"
        case let .notSignalled(pid, e):
            "the daemon (pid \(pid)) could not be told (\(String(cString: strerror(e)))): run `systemctl reload pocgate` as root"
        }
    }

    /// Finds the daemon through `statusFile` and signals it.
    public static func notify(statusFile: StatusFile) -> BTDaemonNotice {
        let status: RuntimeStatus
        do { status = try statusFile.read() } catch { return .notRunning("no status file at \(statusFile.path)") }
        guard status.state != .stopped, status.state != .stopping, status.pid > 1 else {
            return .notRunning("the status file says \(status.state.rawValue)")
        }
        let comm = (try? String(contentsOfFile: "/proc/\(status.pid)/comm", encoding: .utf8))?
            .trimmingWhitespaceAndNewlines() ?? ""
        guard comm.hasPrefix("pocgate") else { return .notRunning("pid \(status.pid) is not a running pocgate") }
        guard kill(status.pid, SIGHUP) == 0 else { return .notSignalled(pid: status.pid, errno: errno) }
        return .reloaded(pid: status.pid)
    }
}
