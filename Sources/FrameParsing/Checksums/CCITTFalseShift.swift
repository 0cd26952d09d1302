/// CRC-16/CCITT-FALSE of any stretch of a stream in a few steps, from registers taken once
/// along it: the register is a polynomial over GF(2) modulo the generator (x^16 + 0x1021),
/// without reflection or final XOR, so it is linear in its start value. If `g(k)` is the
/// register after bytes `0 ..< k` from 0, the CRC of bytes `a ..< e` is
/// `shift(0xFFFF ^ g(a), e - a) ^ g(e)`, where `shift(r, n)` is the register after `n` zero
/// bytes, r · x^(8n). `SCPScanState` checks every candidate record's CRC this way, so a
/// candidate costs two registers and one `shift`, not a pass over its claimed length.
enum CCITTFalseShift {
    /// x^(8 · 2^i) mod the generator, i = 0 … 40.
    static let powers: [UInt16] = {
        var p: [UInt16] = [0x0100]
        while p.count < 41 { p.append(multiply(p[p.count - 1], p[p.count - 1])) }
        return p
    }()

    /// `a · b` modulo the generator.
    static func multiply(_ a: UInt16, _ b: UInt16) -> UInt16 {
        var r: UInt16 = 0
        var bit: UInt16 = 0x8000
        while bit != 0 {
            r = r & 0x8000 != 0 ? (r << 1) ^ 0x1021 : r << 1
            if b & bit != 0 { r ^= a }
            bit >>= 1
        }
        return r
    }

    /// The register `register` becomes after `count` zero bytes.
    static func shift(_ register: UInt16, zeroBytes count: Int) -> UInt16 {
        var r = register
        var n = count
        var i = 0
        while n > 0, r != 0 {
            if n & 1 != 0 { r = multiply(r, powers[i]) }
            n >>= 1
            i += 1
        }
        return r
    }

    /// The CRC (start 0xFFFF) of the bytes between two positions `length` bytes apart, from
    /// the registers (start 0, same origin) at the two positions.
    static func crc(from start: UInt16, to end: UInt16, length: Int) -> UInt16 {
        shift(0xFFFF ^ start, zeroBytes: length) ^ end
    }
}
