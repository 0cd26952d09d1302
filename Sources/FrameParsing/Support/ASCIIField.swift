/// In-place parsing of fixed-position ASCII fields (digits, literals) from received bytes, for
/// the text protocols' decoders. Nothing here allocates.
@usableFromInline
enum ASCIIField {
    /// Exactly `count` decimal digits at `offset`, or nil.
    @inline(__always)
    static func digits(_ b: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> Int? {
        guard offset >= 0, offset + count <= b.count, count > 0 else { return nil }
        var v = 0
        for i in offset..<(offset + count) {
            let c = b[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + Int(c - UInt8(ascii: "0"))
        }
        return v
    }

    /// `count` characters at `offset` holding a number right-aligned after optional spaces
    /// (`"  81"`), or nil.
    @inline(__always)
    static func paddedDigits(_ b: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> Int? {
        guard offset >= 0, offset + count <= b.count else { return nil }
        var start = offset
        while start < offset + count - 1 && b[start] == UInt8(ascii: " ") { start += 1 }
        return digits(b, start, offset + count - start)
    }

    /// Whether the bytes at `offset` equal `literal`.
    @inline(__always)
    static func matches(_ b: UnsafeRawBufferPointer, _ offset: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset >= 0, offset + n <= b.count else { return false }
        let p = literal.utf8Start
        for i in 0..<n where b[offset + i] != p[i] { return false }
        return true
    }

    /// Whether every byte is printable ASCII or a tab.
    @inline(__always)
    static func isPrintable(_ b: UnsafeRawBufferPointer) -> Bool {
        for c in b where !(c >= 0x20 && c <= 0x7E) && c != 0x09 { return false }
        return true
    }

    /// The index of the first `byte` at or after `from`, or nil.
    @inlinable @inline(__always)
    static func index(of byte: UInt8, in b: UnsafeRawBufferPointer, from: Int, limit: Int) -> Int? {
        var i = from
        let end = min(b.count, limit)
        while i < end {
            if b[i] == byte { return i }
            i += 1
        }
        return nil
    }
}
