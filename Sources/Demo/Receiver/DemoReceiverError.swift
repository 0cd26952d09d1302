import Daemon
import Emulators
/// Why the demo receiver could not start listening.
public enum DemoReceiverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The port is not 0...65535.
    case invalidPort(Int)
    /// The port is taken by another program.
    case portInUse(Int)
    /// Another system call failed.
    case system(call: String, errno: Int32)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .invalidPort(let port):
            return "demo receiver port \(port) is not in 0...65535; use 0 to let the system pick a free one"
        case .portInUse(let port):
            return "127.0.0.1:\(port) is already in use; stop the program holding it, or use port 0 to let the system pick a free one"
        case .system(let call, let code):
            return "demo receiver: \(call) failed: \(SystemErrorText.describe(code))"
        }
    }
}
