/// CRC-8/MAXIM for the kiosk decoder's hot path: the same value as `CRC8.maxim` (whose table it
/// is built from), four bytes per step (slice-by-4), with tables that are never freed and are
/// read through a pointer, so a frame costs no reference counting and the register's
/// dependency chain is a quarter as long as one look-up per byte.
@usableFromInline
enum AA55CRC {
    /// Four tables of 256 entries: table k gives what a byte contributes when k bytes follow
    /// it (table 0 is `CRC8.maxim`'s own; for an 8-bit register, table k is table 0 applied
    /// k + 1 times).
    @usableFromInline
    nonisolated(unsafe) static let tables: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 4 * 256)
        for i in 0..<256 { t[i] = CRC8.maxim.checksum([UInt8(i)]) }
        for k in 1..<4 {
            for i in 0..<256 { t[k * 256 + i] = t[Int(t[(k - 1) * 256 + i])] }
        }
        return UnsafePointer(t)
    }()

    /// The CRC-8/MAXIM of `bytes`.
    @inlinable @inline(__always)
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        let t = tables
        var r: UInt8 = 0
        var i = 0
        let n = bytes.count
        while i + 4 <= n {
            r = t[768 + Int(r ^ bytes[i])] ^ t[512 + Int(bytes[i + 1])] ^ t[256 + Int(bytes[i + 2])] ^ t[Int(bytes[i + 3])]
            i += 4
        }
        while i < n {
            r = t[Int(r ^ bytes[i])]
            i += 1
        }
        return r
    }
}
