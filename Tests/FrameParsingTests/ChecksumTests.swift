import Testing
import FrameParsing
import TestSupport

/// Table-driven checksums against the catalogue check values of "123456789" and against a
/// bit-at-a-time reference on random inputs.
@Suite struct ChecksumTests {
    static let check = Array("123456789".utf8)

    @Test(arguments: [
        ("CCITT-FALSE", CRC16.ccittFalse, UInt16(0x29B1)),
        ("XMODEM", CRC16.xmodem, 0x31C3),
        ("KERMIT", CRC16.kermit, 0x2189),
        ("MODBUS", CRC16.modbus, 0x4B37),
        ("ARC", CRC16.arc, 0xBB3D),
    ])
    func crc16CheckValues(name: String, crc: CRC16, expected: UInt16) {
        #expect(crc.checksum(Self.check) == expected, "CRC-16/\(name)")
    }

    @Test func crc8CheckValues() {
        #expect(CRC8.maxim.checksum(Self.check) == 0xA1)
        #expect(CRC8.smbus.checksum(Self.check) == 0xF4)
        // The reflected MAXIM table starts 00 5E BC E2 (shared protocol notes).
        #expect([0x01, 0x02, 0x03].map { CRC8.maxim.checksum([UInt8($0)]) } == [0x5E, 0xBC, 0xE2])
    }

    @Test func tablesMatchBitwiseReferenceOnRandomInputs() {
        var rng = SeededRandom(seed: 2024)
        var crc16s: [CRC16] = [.ccittFalse, .xmodem, .kermit, .modbus, .arc]
        var crc8s: [CRC8] = [.maxim, .smbus]
        // Random parameter sets too, including refin ≠ refout and a non-zero xorout.
        for _ in 0..<6 {
            crc16s.append(CRC16(polynomial: UInt16(truncatingIfNeeded: rng.next()) | 1, initial: UInt16(truncatingIfNeeded: rng.next()),
                                reflectInput: rng.below(2) == 1, reflectOutput: rng.below(2) == 1, xorOutput: UInt16(truncatingIfNeeded: rng.next())))
            crc8s.append(CRC8(polynomial: rng.byte() | 1, initial: rng.byte(), reflectInput: rng.below(2) == 1,
                              reflectOutput: rng.below(2) == 1, xorOutput: rng.byte()))
        }
        for _ in 0..<200 {
            let input = (0..<rng.below(80)).map { _ in rng.byte() }
            for c in crc16s {
                let ref = BitwiseCRC(width: 16, poly: UInt64(c.polynomial), initial: UInt64(c.initial), refin: c.reflectInput,
                                     refout: c.reflectOutput, xorout: UInt64(c.xorOutput)).compute(input)
                #expect(UInt64(c.checksum(input)) == ref)
            }
            for c in crc8s {
                let ref = BitwiseCRC(width: 8, poly: UInt64(c.polynomial), initial: UInt64(c.initial), refin: c.reflectInput,
                                     refout: c.reflectOutput, xorout: UInt64(c.xorOutput)).compute(input)
                #expect(UInt64(c.checksum(input)) == ref)
            }
        }
    }

    @Test func incrementalCRCEqualsOneShot() {
        let data = Array(0...200).map { UInt8($0) }
        for crc in [CRC16.ccittFalse, .kermit] {
            var r = crc.start
            for piece in [data[0..<7], data[7..<100], data[100...]] {
                r = Array(piece).withUnsafeBytes { crc.update(r, $0) }
            }
            #expect(crc.finish(r) == crc.checksum(data))
        }
    }

    @Test func sumsAndXor() {
        #expect(Checksum.sum8(Self.check) == 0xDD)          // 477 mod 256
        #expect(Checksum.sum16(Self.check) == 477)
        #expect(Checksum.xor8(Self.check) == 0x31)
        #expect(Checksum.xor8([0x10, 0x30]) == 0x20)         // CodeFree challenge (notes, V)
        Self.check.withUnsafeBytes { b in
            #expect(Checksum.sum8(b) == 0xDD)
            #expect(Checksum.sum16(b) == 477)
            #expect(Checksum.xor8(b) == 0x31)
        }
    }

    /// Ultra 2 line checksums: four hex digits of the 16-bit sum (shared notes, V).
    @Test(arguments: [
        ("T", "0054"),
        ("T \"SAT\",\"08/03/13\",\"22:12:00   \"", "0608"),
        ("P 003,\"GMF600DCY\",\"MG/DL \"", "05A6"),
        ("P \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081 \",\"N\",\"03\", 00", "09B6"),
    ])
    func sum16AsFourHexDigits(text: String, expected: String) {
        #expect(ASCIIHex.encode4(Checksum.sum16(Array(text.utf8))) == Array(expected.utf8))
    }

    /// ASTM E1381 frames: Σ FN … ETX/ETB mod 256 as two uppercase hex digits (notes, V).
    @Test(arguments: [
        ("1A|B|C|D\r\u{03}", "BF"),
        ("0H\r\u{03}", "88"),
        ("1foo|1\r\u{03}", "32"),
        ("1foo|1\rb\u{17}", "A8"),
        ("3az|1^2^\u{17}", "C0"),
        ("5L|1|N\r\u{03}", "08"),
    ])
    func astmChecksum(text: String, expected: String) {
        let bytes = Array(text.utf8)
        let sum = bytes.withUnsafeBytes { Checksum.astm($0) }
        #expect(ASCIIHex.encode2(sum) == Array(expected.utf8))
        Array(expected.utf8).withUnsafeBytes { #expect(ASCIIHex.parse($0, at: 0, count: 2) == UInt16(sum)) }
    }

    @Test func hexDigitsParseInPlace() {
        Array("0x09b6 Z".utf8).withUnsafeBytes { b in
            #expect(ASCIIHex.parse(b, at: 2, count: 4) == 0x09B6)
            #expect(ASCIIHex.parse(b, at: 4, count: 4) == nil)   // runs into a space
            #expect(ASCIIHex.parse(b, at: 6, count: 4) == nil)   // past the end
        }
    }
}

/// The textbook bit-at-a-time CRC, independent of the table code.
struct BitwiseCRC {
    var width: Int, poly: UInt64, initial: UInt64, refin: Bool, refout: Bool, xorout: UInt64

    func reflect(_ v: UInt64, _ bits: Int) -> UInt64 {
        var r: UInt64 = 0
        for i in 0..<bits where v >> UInt64(i) & 1 == 1 { r |= 1 << UInt64(bits - 1 - i) }
        return r
    }

    func compute(_ data: [UInt8]) -> UInt64 {
        let top: UInt64 = 1 << UInt64(width - 1)
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        var crc = initial
        for byte in data {
            let b = refin ? reflect(UInt64(byte), 8) : UInt64(byte)
            crc ^= b << UInt64(width - 8)
            for _ in 0..<8 { crc = (crc & top != 0 ? (crc << 1) ^ poly : crc << 1) & mask }
        }
        if refout { crc = reflect(crc, width) }
        return (crc ^ xorout) & mask
    }
}
