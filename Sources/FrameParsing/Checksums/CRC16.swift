/// A 16-bit CRC in the Rocksoft/Williams parameter model (poly, init, refin, refout, xorout),
/// computed with a 256-entry table.
///
/// The named variants are `static let`s, so each table is built once, on first use. A reflected
/// variant keeps its register reflected and uses the reflected polynomial, so both kinds cost one
/// table look-up per byte.
public struct CRC16: Sendable {
    /// The generator polynomial, normal (MSB-first) form without the x¹⁶ term.
    public let polynomial: UInt16
    /// The register's value before the first byte.
    public let initial: UInt16
    /// Whether each input byte is taken least significant bit first.
    public let reflectInput: Bool
    /// Whether the final register is bit-reversed before `xorOutput`.
    public let reflectOutput: Bool
    /// XORed into the result.
    public let xorOutput: UInt16
    @usableFromInline let table: [UInt16]
    @usableFromInline let startRegister: UInt16

    public init(polynomial: UInt16, initial: UInt16, reflectInput: Bool, reflectOutput: Bool, xorOutput: UInt16) {
        self.polynomial = polynomial
        self.initial = initial
        self.reflectInput = reflectInput
        self.reflectOutput = reflectOutput
        self.xorOutput = xorOutput
        var table = [UInt16](repeating: 0, count: 256)
        if reflectInput {
            let reflected = Self.reflect(polynomial)
            for i in 0..<256 {
                var r = UInt16(i)
                for _ in 0..<8 { r = r & 1 != 0 ? (r >> 1) ^ reflected : r >> 1 }
                table[i] = r
            }
            startRegister = Self.reflect(initial)
        } else {
            for i in 0..<256 {
                var r = UInt16(i) << 8
                for _ in 0..<8 { r = r & 0x8000 != 0 ? (r << 1) ^ polynomial : r << 1 }
                table[i] = r
            }
            startRegister = initial
        }
        self.table = table
    }

    /// CRC-16/CCITT-FALSE (a.k.a. IBM-3740): LifeScan binary frames, SCP-ECG. Check 0x29B1.
    public static let ccittFalse = CRC16(polynomial: 0x1021, initial: 0xFFFF, reflectInput: false, reflectOutput: false, xorOutput: 0)
    /// CRC-16/XMODEM. Check 0x31C3.
    public static let xmodem = CRC16(polynomial: 0x1021, initial: 0x0000, reflectInput: false, reflectOutput: false, xorOutput: 0)
    /// CRC-16/KERMIT (reflected CCITT). Check 0x2189.
    public static let kermit = CRC16(polynomial: 0x1021, initial: 0x0000, reflectInput: true, reflectOutput: true, xorOutput: 0)
    /// CRC-16/MODBUS. Check 0x4B37.
    public static let modbus = CRC16(polynomial: 0x8005, initial: 0xFFFF, reflectInput: true, reflectOutput: true, xorOutput: 0)
    /// CRC-16/ARC (a.k.a. CRC-16/IBM). Check 0xBB3D.
    public static let arc = CRC16(polynomial: 0x8005, initial: 0x0000, reflectInput: true, reflectOutput: true, xorOutput: 0)

    /// The CRC of `bytes`.
    @inlinable
    public func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        finish(update(startRegister, bytes))
    }

    /// The CRC of `bytes`.
    public func checksum<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        let contiguous = Array(bytes)
        return contiguous.withUnsafeBytes { checksum($0) }
    }

    /// The register after feeding `bytes` into `register` (start from `start`), for input
    /// that arrives in pieces.
    @inlinable
    public func update(_ register: UInt16, _ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var r = register
        table.withUnsafeBufferPointer { t in
            if reflectInput {
                for b in bytes { r = (r >> 8) ^ t[Int(UInt8(truncatingIfNeeded: r) ^ b)] }
            } else {
                for b in bytes { r = (r << 8) ^ t[Int(UInt8(truncatingIfNeeded: r >> 8) ^ b)] }
            }
        }
        return r
    }

    /// The register before any byte.
    @inlinable
    public var start: UInt16 { startRegister }

    /// The CRC value of a register that has seen every byte.
    @inlinable
    public func finish(_ register: UInt16) -> UInt16 {
        // A reflected register already holds the reflected CRC.
        (reflectInput == reflectOutput ? register : Self.reflect(register)) ^ xorOutput
    }

    /// `v` with its 16 bits in reverse order.
    @inlinable
    public static func reflect(_ v: UInt16) -> UInt16 {
        var x = v
        x = (x & 0x5555) << 1 | (x >> 1) & 0x5555
        x = (x & 0x3333) << 2 | (x >> 2) & 0x3333
        x = (x & 0x0F0F) << 4 | (x >> 4) & 0x0F0F
        return x << 8 | x >> 8
    }
}
