/// Why a device link (a tty, a hidraw node, a BLE characteristic) failed. Every case says what a technician can check.
public enum LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The device node could not be opened.
    case openFailed(path: String, errno: Int32)
    /// Another program holds the port exclusively.
    case busy(path: String)
    /// The line settings could not be applied.
    case configureFailed(path: String, errno: Int32)
    /// The device went away (unplugged, cable pulled, Bluetooth link lost).
    case unplugged(errno: Int32)
    /// A write refused by the read-only policy; nothing was sent.
    case forbiddenWrite(hex: String)
    /// A write did not complete in time.
    case writeTimeout
    /// Any other I/O error.
    case io(operation: String, errno: Int32)
    /// A Bluetooth LE operation failed (BlueZ's reason, said for a technician).
    case bluetooth(BluetoothFailure)
    /// The path is not the device node it should be (a file, or a link leading out of /dev).
    case notADevice(path: String, found: String)

    public var description: String {
        switch self {
        case let .openFailed(path, e): return "cannot open \(path): " + Errno.openAdvice(e)
        case let .busy(path): return "\(path) is in use by another program (ModemManager, a terminal?); stop it or blacklist the device"
        case let .configureFailed(path, e): return "cannot set line settings on \(path): \(Errno.text(e))"
        case let .unplugged(e): return "device disconnected (\(Errno.text(e)))"
        case let .forbiddenWrite(hex): return "refused to send \(hex): not a read-only command of this protocol"
        case .writeTimeout: return "write timed out: the device is not accepting data (flow control? wrong cable?)"
        case let .io(op, e): return "\(op) failed: \(Errno.text(e))"
        case let .bluetooth(failure): return failure.description
        case let .notADevice(path, found): return "refused to open \(path): \(found); check the udev rules and what replaced the device node"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// errno → text.
enum Errno {
    static func text(_ e: Int32) -> String { "\(String(cString: strerror(e))) (errno \(e))" }

    /// The errno of a failed open of a device node, said once, with what to do for that cause
    /// (and only that one: a missing node is not a group problem).
    static func openAdvice(_ e: Int32) -> String {
        switch e {
        case EACCES, EPERM:
            return "\(text(e)); the udev rules (udev/) give the device to the pocgate group: check they are installed "
                + "and the pocgate user is in that group"
        case ENOENT, ENODEV, ENXIO:
            return "\(text(e)); the device was unplugged, or udev has not finished setting it up"
        case EBUSY:
            return "\(text(e)); another program holds the port (ModemManager, a terminal?)"
        default:
            return text(e)
        }
    }

    /// The errors that mean the device is gone rather than misbehaving.
    static func meansUnplugged(_ e: Int32) -> Bool { e == EIO || e == ENXIO || e == ENODEV || e == EBADF }
}
