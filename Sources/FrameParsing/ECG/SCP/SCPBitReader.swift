/// Reads bits most significant first from one lead's compressed bytes.
struct SCPBitReader {
    let bytes: ArraySlice<UInt8>
    /// Bits consumed so far.
    var position = 0

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// Bits left.
    var remaining: Int { bytes.count * 8 - position }

    /// The next bit, or nil at the end of the data.
    @inline(__always)
    mutating func bit() -> UInt32? {
        guard position < bytes.count * 8 else { return nil }
        let byte = bytes[bytes.startIndex + position >> 3]
        let b = UInt32(byte >> (7 - UInt8(position & 7))) & 1
        position += 1
        return b
    }

    /// The next `n` (≤ 16) bits as a two's-complement number, or nil when fewer remain.
    mutating func signed(_ n: Int) -> Int32? {
        guard n > 0 else { return 0 }
        guard remaining >= n else { return nil }
        var v: UInt32 = 0
        for _ in 0..<n { v = v << 1 | bit()! }
        let shift = 32 - n
        return Int32(bitPattern: v << UInt32(shift)) >> Int32(shift)
    }
}
