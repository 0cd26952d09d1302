/// Up to 240 bytes of frame text (E1381's limit) held inline, so the decoder hands a frame to
/// its caller without a heap allocation.
public struct ASTMFrameText: Sendable, Hashable, CustomStringConvertible {
    /// The most bytes one frame's text may hold.
    public static let capacity = 240

    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline var length: UInt8 = 0

    /// No bytes.
    public init() {}

    /// A copy of `bytes`, or nil when they are more than `capacity`.
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= Self.capacity else { return nil }
        self.init(checked: bytes)
    }

    /// A copy of `bytes`, which the caller has checked are at most `capacity`: the decoder's
    /// path, without an `Optional` to unwrap (and copy) per frame.
    @inlinable
    init(checked bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, !bytes.isEmpty {
            withUnsafeMutableBytes(of: &storage) { $0.baseAddress!.copyMemory(from: base, byteCount: min(bytes.count, Self.capacity)) }
        }
        length = UInt8(min(bytes.count, Self.capacity))
    }

    /// A copy of `bytes`, or nil when they are more than `capacity`.
    public init?(_ bytes: [UInt8]) {
        guard let v = bytes.withUnsafeBytes({ ASTMFrameText($0) }) else { return nil }
        self = v
    }

    /// How many bytes are held.
    public var count: Int { Int(length) }

    /// Calls `body` with the held bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The held bytes as an array.
    public var array: [UInt8] { withBytes { Array($0) } }

    /// The text with CR shown as `<CR>` and other bytes outside printable ASCII as `?`.
    public var description: String {
        withBytes { b in
            b.map { $0 == ASTMByte.cr ? "<CR>" : (0x20...0x7E).contains($0) ? String(UnicodeScalar($0)) : "?" }.joined()
        }
    }

    public static func == (a: ASTMFrameText, b: ASTMFrameText) -> Bool {
        a.count == b.count && a.withBytes { x in b.withBytes { y in x.elementsEqual(y) } }
    }

    public func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: $0) }
    }
}
