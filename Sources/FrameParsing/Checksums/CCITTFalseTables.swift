/// CRC-16/CCITT-FALSE for a decoder's hot path: the same value as `CRC16.ccittFalse`, four
/// bytes per step (slice-by-4), with tables that are never freed and are read through a
/// pointer, so a frame costs no reference counting and the register's dependency chain is a
/// quarter as long as one look-up per byte.
@usableFromInline
enum CCITTFalse {
    /// Four tables of 256 entries: table k gives what a byte contributes when k zero bytes
    /// follow it.
    @usableFromInline
    nonisolated(unsafe) static let tables: UnsafePointer<UInt16> = {
        let t = UnsafeMutablePointer<UInt16>.allocate(capacity: 4 * 256)
        for i in 0..<256 {
            var r = UInt16(i) << 8
            for _ in 0..<8 { r = r & 0x8000 != 0 ? (r << 1) ^ 0x1021 : r << 1 }
            t[i] = r
        }
        for k in 1..<4 {
            for i in 0..<256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev << 8) ^ t[Int(prev >> 8)]
            }
        }
        return UnsafePointer(t)
    }()

    /// The CRC of `bytes`.
    @inlinable @inline(__always)
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        update(0xFFFF, bytes)
    }

    /// The register after `bytes`, starting from `register` (0xFFFF starts a CRC).
    @inlinable @inline(__always)
    static func update(_ register: UInt16, _ bytes: UnsafeRawBufferPointer) -> UInt16 {
        let t = tables
        var r = register
        var i = 0
        let n = bytes.count
        while i + 4 <= n {
            let x0 = UInt8(truncatingIfNeeded: r >> 8) ^ bytes[i], x1 = UInt8(truncatingIfNeeded: r) ^ bytes[i + 1]
            r = t[768 + Int(x0)] ^ t[512 + Int(x1)] ^ t[256 + Int(bytes[i + 2])] ^ t[Int(bytes[i + 3])]
            i += 4
        }
        while i < n {
            r = (r << 8) ^ t[Int(UInt8(truncatingIfNeeded: r >> 8) ^ bytes[i])]
            i += 1
        }
        return r
    }
}
