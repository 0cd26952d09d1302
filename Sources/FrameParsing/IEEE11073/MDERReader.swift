/// A bounds-checked, big-endian cursor over MDER-encoded bytes. Every read that would run past
/// the end throws, so a short or lying length can never read outside the APDU.
public struct MDERReader: Sendable {
    @usableFromInline let bytes: [UInt8]
    /// The next byte to read.
    public private(set) var offset: Int
    /// One past the last byte this reader may read.
    public let end: Int

    /// A reader over all of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
    }

    /// A reader over `bytes` (its indices are kept).
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = Array(bytes)
        self.offset = 0
        self.end = self.bytes.count
    }

    private init(bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    /// Bytes left.
    public var remaining: Int { end - offset }

    /// Whether every byte was read.
    public var isAtEnd: Bool { offset == end }

    /// One byte.
    public mutating func u8(_ what: StaticString) throws(IEEE11073DecodeError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(String(describing: what)) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A 16-bit big-endian integer.
    public mutating func u16(_ what: StaticString) throws(IEEE11073DecodeError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(String(describing: what)) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    /// A 32-bit big-endian integer.
    public mutating func u32(_ what: StaticString) throws(IEEE11073DecodeError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(String(describing: what)) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// `count` raw bytes.
    public mutating func take(_ count: Int, _ what: StaticString) throws(IEEE11073DecodeError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .truncated(String(describing: what)) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// An octet string: a 16-bit length, then that many bytes.
    public mutating func octetString(_ what: StaticString) throws(IEEE11073DecodeError) -> [UInt8] {
        let n = Int(try u16(what))
        return try take(n, what)
    }

    /// A reader over the next `count` bytes, which this reader skips. Used for the
    /// length-prefixed parts of a structure, so a part can never read into the next.
    public mutating func sub(_ count: Int, _ what: StaticString) throws(IEEE11073DecodeError) -> MDERReader {
        guard count >= 0, remaining >= count else { throw .truncated(String(describing: what)) }
        defer { offset += count }
        return MDERReader(bytes: bytes, offset: offset, end: offset + count)
    }

    /// The 16-bit `handle` (big-endian) followed by the bytes at `range` of the underlying
    /// buffer, in one array: an observation's provenance, copied once.
    func bytes(after handle: UInt16, _ range: Range<Int>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 2 + range.count) { out, count in
            out[0] = UInt8(handle >> 8)
            out[1] = UInt8(handle & 0xFF)
            for (i, at) in range.enumerated() { out[2 + i] = bytes[at] }
            count = 2 + range.count
        }
    }

    /// A list header (`count` u16, `length` u16) and a reader over the list's bytes.
    public mutating func list(_ what: StaticString) throws(IEEE11073DecodeError) -> (count: Int, reader: MDERReader) {
        let count = Int(try u16(what))
        let length = Int(try u16(what))
        return (count, try sub(length, what))
    }
}
