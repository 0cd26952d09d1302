/// The link-control byte of a LifeScan binary frame (UltraEasy/UltraMini; Verio meters send 0).
public struct LifeScanLink: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// S: the sender's sequence bit, toggled per message sent.
    public static let send = LifeScanLink(rawValue: 0x01)
    /// E: the expected-receive bit, toggled per message received.
    public static let expectReceive = LifeScanLink(rawValue: 0x02)
    /// The frame acknowledges the peer's last message.
    public static let acknowledge = LifeScanLink(rawValue: 0x04)
    /// Disconnect; an empty frame with this bit opens and closes a session.
    public static let disconnect = LifeScanLink(rawValue: 0x08)
    /// More frames follow.
    public static let more = LifeScanLink(rawValue: 0x10)
}
