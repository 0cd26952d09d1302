/// Section 6, rhythm data: amplitude value multiplier u16 (nanovolts per count), sample time
/// interval u16 (microseconds), difference data used u8 (0 none, 1 first, 2 second
/// differences), bimodal compression u8 (0 no, 1 yes), one u16 byte count per lead (section 3
/// order), then each lead's data: Huffman coded when section 2 is present, otherwise i16
/// little-endian per sample.
///
/// pocgate decodes every combination of the difference modes with the default or custom
/// Huffman tables (table switches included) and uncompressed data. It refuses bimodal
/// compression and reference-beat subtraction, which need sections 4 and 5.
public struct SCPRhythmData: Sendable, Hashable {
    /// Nanovolts per count.
    public var amplitudeMultiplier: Int
    /// Microseconds between samples.
    public var sampleIntervalMicros: Int
    /// 0 none, 1 first differences, 2 second differences.
    public var differenceMode: Int
    /// Whether bimodal compression was used.
    public var bimodal: Bool
    /// Each lead's samples in counts, section 3 order.
    public var samples: [[Int32]]

    init(_ section: SCPSection, leads: SCPLeadDefinition, huffman: [SCPHuffmanTable]?) throws(SCPProblem) {
        var c = SCPCursor(section.body, section: 6)
        amplitudeMultiplier = Int(try c.u16("the amplitude value multiplier"))
        sampleIntervalMicros = Int(try c.u16("the sample time interval"))
        differenceMode = Int(try c.u8("the difference data flag"))
        bimodal = try c.u8("the bimodal compression flag") != 0
        guard amplitudeMultiplier > 0 else { throw .malformed(section: 6, "amplitude value multiplier is 0 nV") }
        guard sampleIntervalMicros > 0 else { throw .malformed(section: 6, "sample time interval is 0 µs") }
        guard differenceMode <= 2 else { throw .malformed(section: 6, "difference data flag \(differenceMode) is not 0, 1 or 2") }
        if bimodal { throw .unsupported("bimodal compression (section 6 flag set)") }
        if leads.referenceBeatSubtracted { throw .unsupported("reference beat subtraction (section 3 flag bit 0; sections 4 and 5)") }
        var lengths: [Int] = []
        for lead in leads.leads { lengths.append(Int(try c.u16("the byte count of lead \(lead.name)"))) }
        var samples: [[Int32]] = []
        samples.reserveCapacity(leads.leads.count)
        for (lead, length) in zip(leads.leads, lengths) {
            let data = try c.take(length, "the data of lead \(lead.name)")
            let values: [Int32]
            if let huffman {
                values = try Self.huffmanDecode(data, count: lead.sampleCount, tables: huffman, lead: lead.name)
            } else {
                guard length >= 2 * lead.sampleCount else {
                    throw .leadData(lead: lead.name, "\(length) bytes hold fewer than \(lead.sampleCount) uncompressed samples")
                }
                values = (0..<lead.sampleCount).map { Int32(SCPBytes.i16(data, data.startIndex + 2 * $0)) }
            }
            samples.append(try Self.undoDifferences(values, mode: differenceMode, lead: lead.name))
        }
        self.samples = samples
    }

    /// `count` values Huffman-decoded from `data`, starting with the first table.
    static func huffmanDecode(_ data: ArraySlice<UInt8>, count: Int, tables: [SCPHuffmanTable], lead: String) throws(SCPProblem) -> [Int32] {
        // Every value takes at least one bit: refuse a count the data cannot hold before
        // allocating for it.
        guard count <= data.count * 8 else {
            throw .leadData(lead: lead, "\(data.count) bytes cannot hold \(count) Huffman-coded samples")
        }
        var reader = SCPBitReader(data)
        var table = tables[0]
        var out = [Int32](repeating: 0, count: count)
        var n = 0
        var switches = 0
        while n < count {
            var code: UInt32 = 0
            var length = 0
            var found: SCPHuffmanTable.Code?
            while found == nil {
                guard let bit = reader.bit() else {
                    throw .leadData(lead: lead, "data end after \(n) of \(count) samples")
                }
                code = code << 1 | bit
                length += 1
                guard length <= SCPHuffmanTable.maximumPrefixBits else {
                    throw .leadData(lead: lead, "bits at sample \(n + 1) match no code of the Huffman table")
                }
                for i in table.byLength[length] where table.codes[i].prefix == code {
                    found = table.codes[i]
                    break
                }
            }
            let entry = found!
            if !entry.isValue {
                let number = Int(entry.baseValue)
                guard number >= 1 && number <= tables.count else {
                    throw .leadData(lead: lead, "Huffman code switches to table \(number), but section 2 has \(tables.count)")
                }
                switches += 1
                guard switches <= 1_000_000 else { throw .leadData(lead: lead, "too many Huffman table switches") }
                table = tables[number - 1]
                continue
            }
            if entry.totalBits > entry.prefixBits {
                guard let v = reader.signed(entry.totalBits - entry.prefixBits) else {
                    throw .leadData(lead: lead, "data end inside the value of sample \(n + 1)")
                }
                out[n] = v
            } else {
                out[n] = Int32(entry.baseValue)
            }
            n += 1
        }
        return out
    }

    /// Samples from first or second differences: the first one or two values are samples.
    static func undoDifferences(_ d: [Int32], mode: Int, lead: String) throws(SCPProblem) -> [Int32] {
        guard mode != 0 else { return d }
        var out = [Int32](repeating: 0, count: d.count)
        var previous: Int64 = 0, beforePrevious: Int64 = 0
        for i in 0..<d.count {
            var x = Int64(d[i])
            if mode == 1 && i >= 1 { x += previous }
            if mode == 2 && i >= 2 { x += 2 * previous - beforePrevious }
            guard let narrow = Int32(exactly: x) else {
                throw .leadData(lead: lead, "sample \(i + 1) leaves the 32-bit range after undoing differences")
            }
            out[i] = narrow
            beforePrevious = previous
            previous = x
        }
        return out
    }
}
