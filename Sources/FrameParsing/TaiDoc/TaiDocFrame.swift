/// One 8-byte TaiDoc frame: `51 cmd d0 d1 d2 d3 dir sum8`.
public struct TaiDocFrame: Sendable, Hashable {
    /// Start byte of every frame.
    public static let start: UInt8 = 0x51
    /// Frame length in bytes.
    public static let length = 8

    /// Which way a frame travels; the protocol states it in byte 6.
    public enum Direction: UInt8, Sendable {
        case hostToMeter = 0xA3
        case meterToHost = 0xA5
    }

    /// The command byte (requests) or its echo (replies).
    public var command: UInt8
    /// The four payload bytes d0…d3.
    public var payload: (UInt8, UInt8, UInt8, UInt8)
    public var direction: Direction

    public init(command: UInt8, payload: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0), direction: Direction) {
        self.command = command
        self.payload = payload
        self.direction = direction
    }

    /// A request for record `index` (0x25 time, 0x26 value): index little-endian in d0 d1.
    public static func recordRequest(_ command: TaiDocCommand, index: UInt16) -> TaiDocFrame {
        TaiDocFrame(command: command.rawValue, payload: (UInt8(index & 0xFF), UInt8(index >> 8), 0, 0), direction: .hostToMeter)
    }

    /// A request with an all-zero payload.
    public static func request(_ command: TaiDocCommand) -> TaiDocFrame {
        TaiDocFrame(command: command.rawValue, direction: .hostToMeter)
    }

    /// The 8 bytes on the wire, checksum included.
    public var bytes: [UInt8] {
        var b: [UInt8] = [Self.start, command, payload.0, payload.1, payload.2, payload.3, direction.rawValue, 0]
        b[7] = Checksum.sum8(b[0..<7])
        return b
    }

    /// The 16 bytes on the wire of `first` then `second`, in one array (a record's time and value replies).
    public static func bytes(_ first: TaiDocFrame, _ second: TaiDocFrame) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 2 * length) { buffer, count in
            first.write(into: buffer, at: 0)
            second.write(into: buffer, at: length)
            count = 2 * length
        }
    }

    /// Writes the 8 bytes on the wire, checksum included, at `offset` of `buffer`.
    private func write(into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        buffer[offset] = Self.start
        buffer[offset + 1] = command
        buffer[offset + 2] = payload.0
        buffer[offset + 3] = payload.1
        buffer[offset + 4] = payload.2
        buffer[offset + 5] = payload.3
        buffer[offset + 6] = direction.rawValue
        var sum: UInt8 = 0
        for i in offset..<(offset + 7) { sum &+= buffer[i] }
        buffer[offset + 7] = sum
    }

    /// d0 d1 as a little-endian 16-bit word.
    public var word01: UInt16 { UInt16(payload.0) | UInt16(payload.1) << 8 }

    public static func == (a: TaiDocFrame, b: TaiDocFrame) -> Bool { a.bytes == b.bytes }
    public func hash(into h: inout Hasher) { h.combine(bytes) }
}
