/// A signal received on the bus (InterfacesAdded, PropertiesChanged, …).
public struct DBusSignal: Sendable, Equatable {
    public var path: String
    public var interface: String
    public var member: String
    public var arguments: [DBusValue]
}
