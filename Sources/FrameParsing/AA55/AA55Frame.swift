/// One frame of the all-in-one health kiosk's measurement board: `AA 55 token len body… crc`.
///
/// `len` counts every byte after itself, the CRC included; `body` is what lies between the
/// length byte and the CRC, and starts with a type byte that selects the message within the
/// token. The CRC is CRC-8/MAXIM over every earlier byte of the frame, `AA 55` included.
public struct AA55Frame: Sendable, Hashable {
    /// First sync byte of every frame.
    public static let sync0: UInt8 = 0xAA
    /// Second sync byte of every frame.
    public static let sync1: UInt8 = 0x55
    /// The smallest length byte: a type byte and the CRC.
    public static let minimumLengthByte = 2
    /// The longest frame the one-byte length can state: sync, token, length and 255 bytes.
    public static let maximumLength = 4 + 255

    /// Selects the module (FF system, 42/43 blood pressure, 53 SpO2, 74 thermometer, E2 strips…).
    public var token: UInt8
    /// The type byte and the data after it (CRC excluded).
    public var body: InlineBytes

    public init(token: UInt8, body: InlineBytes) {
        self.token = token
        self.body = body
    }

    /// A frame carrying `body`; nil when the body is empty or longer than pocgate holds.
    public init?(token: UInt8, body: [UInt8]) {
        guard !body.isEmpty, let b = InlineBytes(body) else { return nil }
        self.init(token: token, body: b)
    }

    /// The type byte (the first body byte).
    public var type: UInt8 { body[0] }

    /// The bytes on the wire, CRC included.
    public var bytes: [UInt8] {
        let n = 4 + body.count + 1
        return [UInt8](unsafeUninitializedCapacity: n) { out, count in
            out[0] = Self.sync0
            out[1] = Self.sync1
            out[2] = token
            out[3] = UInt8(body.count + 1)
            body.withBytes { b in
                for i in 0..<b.count { out[4 + i] = b[i] }
            }
            out[n - 1] = AA55CRC.checksum(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: out[0..<(n - 1)])))
            count = n
        }
    }
}
