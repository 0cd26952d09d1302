/// Up to 96 bytes held inline, without a heap allocation: how a decoder hands a frame's
/// message or a text line to its caller without building an `Array` or `String` per frame.
public struct InlineBytes: Sendable, Hashable, CustomStringConvertible {
    /// The most bytes one value holds.
    public static let capacity = 96

    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                          UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline var length: UInt8 = 0

    /// No bytes.
    public init() {}

    /// A copy of `bytes`, or nil when they are more than `capacity`.
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= Self.capacity else { return nil }
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
        length = UInt8(bytes.count)
    }

    /// A copy of `bytes`, or nil when they are more than `capacity`.
    public init?(_ bytes: [UInt8]) {
        guard let v = bytes.withUnsafeBytes({ InlineBytes($0) }) else { return nil }
        self = v
    }

    /// How many bytes are held.
    public var count: Int { Int(length) }

    /// Whether no bytes are held.
    public var isEmpty: Bool { length == 0 }

    /// The byte at `index` (0 ..< count).
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "InlineBytes index out of range")
        return withUnsafeBytes(of: storage) { $0[index] }
    }

    /// Calls `body` with the held bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The held bytes as an array (for assembly, keys and provenance; not for the hot path).
    public var array: [UInt8] { withBytes { Array($0) } }

    /// The held bytes in `range` as text; bytes outside printable ASCII become `?`.
    public func text(_ range: Range<Int>? = nil) -> String {
        let r = range ?? 0..<count
        return withBytes { b in
            String(decoding: b[r].map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        }
    }

    public var description: String { Hex.string(array) }

    public static func == (a: InlineBytes, b: InlineBytes) -> Bool {
        a.count == b.count && a.withBytes { x in b.withBytes { y in x.elementsEqual(y) } }
    }

    public func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: $0) }
    }
}
