/// One Huffman table of section 2. Each code structure: prefix bits u8, total bits u8,
/// table mode u8 (1 = a value, 0 = switch to the table the base value names), base value
/// i16, base code u32 stored bit-reversed (the code's first bit is the u32's lowest bit).
/// When total bits exceed prefix bits, the value is the next (total − prefix) bits of the
/// stream, most significant first, in two's complement.
public struct SCPHuffmanTable: Sendable, Hashable {
    /// One code structure.
    public struct Code: Sendable, Hashable {
        /// Bits in the prefix (the code proper).
        public var prefixBits: Int
        /// Prefix plus the bits of an explicit value.
        public var totalBits: Int
        /// True: the code yields a value; false: it switches tables.
        public var isValue: Bool
        /// The value (or the table number, for a switch).
        public var baseValue: Int16
        /// The prefix as it appears in the stream, first bit most significant.
        public var prefix: UInt32

        public init(prefixBits: Int, totalBits: Int, isValue: Bool = true, baseValue: Int16, prefix: UInt32) {
            self.prefixBits = prefixBits
            self.totalBits = totalBits
            self.isValue = isValue
            self.baseValue = baseValue
            self.prefix = prefix
        }
    }

    /// The table's codes, in file order.
    public var codes: [Code]
    /// `byLength[n]`: indexes of the codes whose prefix is n bits long.
    let byLength: [[Int]]

    /// The longest prefix accepted.
    public static let maximumPrefixBits = 32

    public init(codes: [Code]) {
        self.codes = codes
        var byLength = [[Int]](repeating: [], count: Self.maximumPrefixBits + 1)
        for (i, c) in codes.enumerated() where c.prefixBits >= 1 && c.prefixBits <= Self.maximumPrefixBits {
            byLength[c.prefixBits].append(i)
        }
        self.byLength = byLength
    }

    /// The value of section 2's table count that selects the default table.
    public static let defaultTableMarker = 19999

    /// The standard's default table: 0 in 1 bit, ±1…±8 in 3…10 bits (`1…10` then the sign
    /// bit), and two 10-bit escapes followed by an 8-bit or a 16-bit value.
    public static let `default`: SCPHuffmanTable = {
        var codes = [Code(prefixBits: 1, totalBits: 1, baseValue: 0, prefix: 0)]
        for magnitude in 1...8 {
            let ones = UInt32((1 << magnitude) - 1)
            let bits = magnitude + 2
            codes.append(Code(prefixBits: bits, totalBits: bits, baseValue: Int16(magnitude), prefix: ones << 2))
            codes.append(Code(prefixBits: bits, totalBits: bits, baseValue: Int16(-magnitude), prefix: ones << 2 | 1))
        }
        codes.append(Code(prefixBits: 10, totalBits: 18, baseValue: 0, prefix: 0b11_1111_1110))
        codes.append(Code(prefixBits: 10, totalBits: 26, baseValue: 0, prefix: 0b11_1111_1111))
        return SCPHuffmanTable(codes: codes)
    }()

    /// The tables of a section 2 body: the default table alone when the count is 19999.
    static func tables(_ section: SCPSection) throws(SCPProblem) -> [SCPHuffmanTable] {
        var c = SCPCursor(section.body, section: 2)
        let count = Int(try c.u16("the table count"))
        if count == defaultTableMarker { return [.default] }
        guard count >= 1 && count <= 256 else { throw .malformed(section: 2, "table count \(count) is neither 1...256 nor 19999") }
        var tables: [SCPHuffmanTable] = []
        for t in 1...count {
            let n = Int(try c.u16("table \(t)'s code count"))
            guard n >= 1 else { throw .malformed(section: 2, "table \(t) has no codes") }
            var codes: [Code] = []
            for k in 1...n {
                let prefixBits = Int(try c.u8("table \(t) code \(k)"))
                let totalBits = Int(try c.u8("table \(t) code \(k)"))
                let mode = try c.u8("table \(t) code \(k)")
                let value = try c.i16("table \(t) code \(k)")
                let stored = try c.u32("table \(t) code \(k)")
                guard prefixBits >= 1, prefixBits <= maximumPrefixBits, totalBits >= prefixBits, totalBits - prefixBits <= 16 else {
                    throw .malformed(section: 2, "table \(t) code \(k) has \(prefixBits) prefix bits and \(totalBits) total bits")
                }
                codes.append(Code(prefixBits: prefixBits, totalBits: totalBits, isValue: mode != 0, baseValue: value,
                                  prefix: reverse(stored, bits: prefixBits)))
            }
            tables.append(SCPHuffmanTable(codes: codes))
        }
        return tables
    }

    /// The low `bits` bits of `v` in reverse order.
    static func reverse(_ v: UInt32, bits: Int) -> UInt32 {
        var out: UInt32 = 0
        var x = v
        for _ in 0..<bits {
            out = out << 1 | x & 1
            x >>= 1
        }
        return out
    }
}
