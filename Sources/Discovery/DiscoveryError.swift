#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why device discovery could not start or scan.
///
/// Codes are errno values (positive) as libudev reports them.
public enum DiscoveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `udev_new()` failed.
    case contextUnavailable(errno: Int32)
    /// `udev_monitor_new_from_netlink(udev, "udev")` failed.
    case monitorUnavailable(errno: Int32)
    /// The subsystem filter could not be installed on the monitor.
    case monitorFilterFailed(errno: Int32)
    /// The monitor socket could not be bound to receive events.
    case monitorEnableFailed(errno: Int32)
    /// Scanning /sys for ttys failed.
    case enumerationFailed(errno: Int32)
    /// The pipe that wakes the monitor thread could not be created.
    case wakePipeFailed(errno: Int32)
    /// The monitor thread could not be started.
    case threadStartFailed(errno: Int32)
    /// `start` was called while the monitor was already running.
    case alreadyRunning

    public var description: String {
        switch self {
        case .contextUnavailable(let code):
            "cannot create a udev context (\(Self.text(code))): is /sys mounted and libudev installed?"
        case .monitorUnavailable(let code):
            "cannot open the udev netlink monitor (\(Self.text(code))): is /run/udev available? "
                + "pocgate needs the udev netlink socket (systemd-udevd running, /run/udev mounted into the container)"
        case .monitorFilterFailed(let code):
            "cannot install the tty filter on the udev monitor (\(Self.text(code)))"
        case .monitorEnableFailed(let code):
            "cannot bind the udev monitor socket (\(Self.text(code))): pocgate needs the udev netlink socket; "
                + "in a container, share the host's network namespace and /run/udev"
        case .enumerationFailed(let code):
            "cannot list ttys from /sys/class/tty (\(Self.text(code))): is /sys mounted read-only into the service?"
        case .wakePipeFailed(let code):
            "cannot create the monitor's wake-up pipe (\(Self.text(code))): out of file descriptors?"
        case .threadStartFailed(let code):
            "cannot start the udev monitor thread (\(Self.text(code)))"
        case .alreadyRunning:
            "the device monitor is already running; call stop() before starting it again"
        }
    }

    private static func text(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: message)), errno \(code)"
    }
}
