/// Simple checksums used by device protocols.
public enum Checksum {
    /// Σ bytes mod 256 (TaiDoc).
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
}
