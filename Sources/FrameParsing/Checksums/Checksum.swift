/// The simple additive and XOR checksums device protocols use. Every function is a plain loop
/// over the bytes, inlinable into a decoder's hot path.
public enum Checksum {
    /// Σ bytes mod 256 (TaiDoc; the Carewell 12-lead module).
    @inlinable
    public static func sum8(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        var s: UInt8 = 0
        for b in bytes { s &+= b }
        return s
    }

    /// Σ bytes mod 256 (TaiDoc).
    public static func sum8<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        bytes.reduce(0, &+)
    }

    /// Σ bytes mod 65536 (OneTouch Ultra 2 lines, FreeStyle memory dumps).
    @inlinable
    public static func sum16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var s: UInt16 = 0
        for b in bytes { s &+= UInt16(b) }
        return s
    }

    /// Σ bytes mod 65536.
    public static func sum16<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        bytes.reduce(0) { $0 &+ UInt16($1) }
    }

    /// XOR of all bytes (SD CodeFree).
    @inlinable
    public static func xor8(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        var x: UInt8 = 0
        for b in bytes { x ^= b }
        return x
    }

    /// XOR of all bytes.
    public static func xor8<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        bytes.reduce(0, ^)
    }

    /// The ASTM E1381 frame checksum: Σ bytes mod 256 over FN … ETX/ETB inclusive. On the wire
    /// it travels as two uppercase hex digits (`ASCIIHex.encode2`).
    @inlinable
    public static func astm(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        sum8(bytes)
    }
}
