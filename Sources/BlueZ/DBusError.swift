/// An error from the bus: a D-Bus error reply (its name and message, as the remote side sent
/// them) or a failure of pocgate's own connection, named in the same form.
public struct DBusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The D-Bus error name (`org.bluez.Error.Failed`, `org.freedesktop.DBus.Error.NoReply`, …).
    public var name: String
    /// The human-readable message that came with it.
    public var message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    /// The connection to the bus could not be opened or was lost.
    public static let busClosedName = "org.pocgate.Bus.Closed"
    /// A call did not get its reply in time.
    public static let noReplyName = "org.freedesktop.DBus.Error.NoReply"
    /// A reply did not have the types the call expects.
    public static let badReplyName = "org.pocgate.Bus.BadReply"

    static func errno(_ operation: String, _ r: Int32) -> DBusError {
        DBusError(name: busClosedName, message: "\(operation): \(String(cString: strerror(-r))) (errno \(-r))")
    }

    public var description: String { message.isEmpty ? name : "\(name): \(message)" }
}

#if canImport(Glibc)
import Glibc
#endif
