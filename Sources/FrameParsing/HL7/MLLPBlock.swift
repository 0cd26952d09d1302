/// One MLLP block: the bytes between the start byte `0x0B` and the end pair `0x1C 0x0D`,
/// normally one HL7 v2 message (segments ended by CR). The payload is copied out of the
/// stream's buffer, one array per message, because messages have no fixed size.
public struct MLLPBlock: Sendable, Hashable {
    /// The message bytes, without the framing.
    public var payload: [UInt8]

    public init(payload: [UInt8]) { self.payload = payload }

    /// Start of block (VT).
    public static let start: UInt8 = 0x0B
    /// End of block (FS), followed by `carriageReturn`.
    public static let end: UInt8 = 0x1C
    /// The byte after `end`, which also ends every segment.
    public static let carriageReturn: UInt8 = 0x0D

    /// The block as it travels: `0x0B`, the payload, `0x1C 0x0D`.
    public var bytes: [UInt8] { Self.wrap(payload) }

    /// `payload` wrapped for the wire.
    public static func wrap(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 3)
        out.append(start)
        out.append(contentsOf: payload)
        out.append(end)
        out.append(carriageReturn)
        return out
    }

    /// Whether the payload is an MLLP release 2 commit acknowledgement (`0x06` or `0x15`
    /// alone), which carries no HL7 message.
    public var isCommitAcknowledgement: Bool { payload == [0x06] || payload == [0x15] }
}
