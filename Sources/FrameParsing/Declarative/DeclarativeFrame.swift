/// One checked frame of a declarative protocol: which record type it is and its bytes
/// (unescaped), held inline so the frame path never allocates.
public struct DeclarativeFrame: Sendable, Hashable {
    /// Index into the spec's `records`.
    public var record: Int
    /// The whole frame, start bytes to terminator, after unescaping.
    public var bytes: InlineBytes

    public init(record: Int, bytes: InlineBytes) {
        self.record = record
        self.bytes = bytes
    }
}

extension InlineBytes {
    /// The low `count` (≤ 8) bytes of a little-endian word.
    @inlinable
    init(word: UInt64, count: Int) {
        self.init()
        storage.0 = UInt64(littleEndian: word)
        length = UInt8(count)
    }

    /// Appends one byte; the caller keeps the count below `capacity`.
    @inlinable
    mutating func appendByte(_ byte: UInt8) {
        let i = Int(length)
        withUnsafeMutableBytes(of: &storage) { $0[i] = byte }
        length &+= 1
    }
}
