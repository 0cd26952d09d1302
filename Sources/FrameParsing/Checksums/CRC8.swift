/// An 8-bit CRC in the Rocksoft/Williams parameter model, computed with a 256-entry table
/// built once per named variant.
public struct CRC8: Sendable {
    /// The generator polynomial, normal (MSB-first) form without the x⁸ term.
    public let polynomial: UInt8
    /// The register's value before the first byte.
    public let initial: UInt8
    /// Whether each input byte is taken least significant bit first.
    public let reflectInput: Bool
    /// Whether the final register is bit-reversed before `xorOutput`.
    public let reflectOutput: Bool
    /// XORed into the result.
    public let xorOutput: UInt8
    @usableFromInline let table: [UInt8]
    @usableFromInline let startRegister: UInt8

    public init(polynomial: UInt8, initial: UInt8, reflectInput: Bool, reflectOutput: Bool, xorOutput: UInt8) {
        self.polynomial = polynomial
        self.initial = initial
        self.reflectInput = reflectInput
        self.reflectOutput = reflectOutput
        self.xorOutput = xorOutput
        var table = [UInt8](repeating: 0, count: 256)
        let reflected = Self.reflect(polynomial)
        for i in 0..<256 {
            var r = UInt8(i)
            for _ in 0..<8 {
                if reflectInput {
                    r = r & 1 != 0 ? (r >> 1) ^ reflected : r >> 1
                } else {
                    r = r & 0x80 != 0 ? (r << 1) ^ polynomial : r << 1
                }
            }
            table[i] = r
        }
        self.table = table
        startRegister = reflectInput ? Self.reflect(initial) : initial
    }

    /// CRC-8/MAXIM (Dallas 1-Wire): reflected poly 0x31 (0x8C reflected), init 0. Carewell kiosk
    /// `AA 55` frames. Check 0xA1.
    public static let maxim = CRC8(polynomial: 0x31, initial: 0x00, reflectInput: true, reflectOutput: true, xorOutput: 0)
    /// CRC-8/SMBUS: poly 0x07, init 0, not reflected. Check 0xF4.
    public static let smbus = CRC8(polynomial: 0x07, initial: 0x00, reflectInput: false, reflectOutput: false, xorOutput: 0)

    /// The CRC of `bytes`.
    @inlinable
    public func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        var r = startRegister
        table.withUnsafeBufferPointer { t in
            for b in bytes { r = t[Int(r ^ b)] }
        }
        return (reflectInput == reflectOutput ? r : Self.reflect(r)) ^ xorOutput
    }

    /// The CRC of `bytes`.
    public func checksum<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        let contiguous = Array(bytes)
        return contiguous.withUnsafeBytes { checksum($0) }
    }

    /// `v` with its 8 bits in reverse order.
    @inlinable
    public static func reflect(_ v: UInt8) -> UInt8 {
        var x = v
        x = (x & 0x55) << 1 | (x >> 1) & 0x55
        x = (x & 0x33) << 2 | (x >> 2) & 0x33
        return x << 4 | x >> 4
    }
}
