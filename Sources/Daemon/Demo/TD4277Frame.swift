/// One 8-byte TaiDoc frame: `51 CMD d0 d1 d2 d3 DIR sum8`.
struct TD4277Frame: Sendable, Hashable {
    /// Every frame starts with this byte.
    static let startByte: UInt8 = 0x51
    /// Byte 6 of a frame the host sends.
    static let hostToMeter: UInt8 = 0xA3
    /// Byte 6 of a frame the meter sends.
    static let meterToHost: UInt8 = 0xA5
    /// Bytes in a frame.
    static let length = 8

    var command: UInt8
    var payload: [UInt8]
    var direction: UInt8

    init(command: UInt8, payload: [UInt8] = [0, 0, 0, 0], direction: UInt8) {
        precondition(payload.count == 4, "a TaiDoc frame carries exactly 4 payload bytes")
        self.command = command
        self.payload = payload
        self.direction = direction
    }

    /// The frame on the wire, checksum included.
    var bytes: [UInt8] {
        var out: [UInt8] = [Self.startByte, command] + payload + [direction]
        out.append(Self.sum8(out[...]))
        return out
    }

    /// The little-endian 16-bit word in d0 d1 (a record index in requests).
    var word: Int { Int(payload[0]) | Int(payload[1]) << 8 }

    /// Sum of the bytes modulo 256.
    static func sum8(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        bytes.reduce(0, &+)
    }

    /// Decodes 8 bytes as a host→meter frame, or nil when the start byte, the direction byte
    /// or the checksum is wrong.
    static func hostFrame(_ bytes: ArraySlice<UInt8>) -> TD4277Frame? {
        guard bytes.count == length else { return nil }
        let b = Array(bytes)
        guard b[0] == startByte, b[6] == hostToMeter, sum8(b[0..<7]) == b[7] else { return nil }
        return TD4277Frame(command: b[1], payload: Array(b[2..<6]), direction: b[6])
    }
}
