/// Reads the little-endian fields of one GATT characteristic value, front to back. Every read
/// checks the length first and throws `GATTDecodeError.truncated` naming the field, so a value
/// whose flags promise more than was sent never traps.
struct GATTReader {
    let bytes: [UInt8]
    let characteristic: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], characteristic: String) {
        self.bytes = bytes
        self.characteristic = characteristic
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - offset }

    mutating func take(_ n: Int, _ field: String) throws(GATTDecodeError) -> ArraySlice<UInt8> {
        guard remaining >= n else { throw .truncated(characteristic: characteristic, field: field, length: bytes.count) }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    mutating func u8(_ field: String) throws(GATTDecodeError) -> UInt8 {
        try take(1, field).first!
    }

    mutating func u16(_ field: String) throws(GATTDecodeError) -> UInt16 {
        let s = try take(2, field)
        return UInt16(s[s.startIndex]) | UInt16(s[s.startIndex + 1]) << 8
    }

    mutating func s16(_ field: String) throws(GATTDecodeError) -> Int16 {
        Int16(bitPattern: try u16(field))
    }

    mutating func u24(_ field: String) throws(GATTDecodeError) -> UInt32 {
        let s = try take(3, field)
        return UInt32(s[s.startIndex]) | UInt32(s[s.startIndex + 1]) << 8 | UInt32(s[s.startIndex + 2]) << 16
    }

    mutating func u32(_ field: String) throws(GATTDecodeError) -> UInt32 {
        let low = UInt32(try u16(field))
        return low | UInt32(try u16(field)) << 16
    }

    /// A Date Time (7 bytes).
    mutating func dateTime(_ field: String) throws(GATTDecodeError) -> GATTDateTime {
        GATTDateTime(Array(try take(GATTDateTime.length, field)))!
    }
}

extension IEEE11073Number {
    /// The SFLOAT `raw` multiplied by 10^`shift` (a unit change such as kg/L → mg/dL, shift 5),
    /// exactly: the shift moves the exponent, never the mantissa through binary floating point.
    /// Special values stay special.
    static func sfloat(_ raw: UInt16, shiftedBy shift: Int8) -> IEEE11073Number {
        let n = sfloat(raw)
        guard case .value = n else { return n }
        let rawMantissa = Int32(raw & 0x0FFF)
        let mantissa = rawMantissa >= 0x0800 ? rawMantissa - 0x1000 : rawMantissa
        let e4 = Int8(raw >> 12)
        let exponent = e4 >= 8 ? e4 - 16 : e4
        return make(mantissa: mantissa, exponent: exponent + shift)
    }
}
