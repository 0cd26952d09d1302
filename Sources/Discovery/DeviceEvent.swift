public import PocGateCore

/// A change in the set of serial ports the gateway can use.
public enum DeviceEvent: Sendable, Equatable {
    /// A tty with a device behind it appeared, or was already present when monitoring began.
    case added(PortDescription)
    /// A tty went away. The description is the one reported when it was added, so it
    /// still carries the USB identity the port had.
    case removed(PortDescription)

    /// The port the event is about.
    public var port: PortDescription {
        switch self {
        case .added(let port), .removed(let port): port
        }
    }

    /// The same event about `port` (e.g. the port with its configured Bluetooth name).
    public func withPort(_ port: PortDescription) -> DeviceEvent {
        switch self {
        case .added: .added(port)
        case .removed: .removed(port)
        }
    }
}
