/// One SD CodeFree frame: `53 dir len message… xor AA`, where `len` = message length + 2 and
/// `xor` is the XOR of the message bytes.
public struct CodeFreeFrame: Sendable, Hashable {
    /// First byte of every frame.
    public static let start: UInt8 = 0x53
    /// Last byte of every frame.
    public static let end: UInt8 = 0xAA
    /// The longest frame the one-byte length can state.
    public static let maximumLength = 3 + 255

    /// Which way a frame travels (byte 1).
    public enum Direction: UInt8, Sendable {
        case hostToMeter = 0x10
        case meterToHost = 0x20
    }

    public var direction: Direction
    public var message: InlineBytes

    public init(direction: Direction, message: InlineBytes) {
        self.direction = direction
        self.message = message
    }

    /// A frame carrying `message`; nil when it is longer than pocgate holds.
    public init?(direction: Direction, message: [UInt8]) {
        guard let m = InlineBytes(message) else { return nil }
        self.init(direction: direction, message: m)
    }

    /// The bytes on the wire.
    public var bytes: [UInt8] {
        let m = message.array
        return [Self.start, direction.rawValue, UInt8(m.count + 2)] + m + [Checksum.xor8(m), Self.end]
    }
}
