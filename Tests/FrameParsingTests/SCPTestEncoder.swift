/// Writes SCP-ECG records for tests and the shipped capture, from the standard's layout and
/// independently of the decoder: its own bitwise CRC, its own Huffman coder (the default
/// table's rule written as arithmetic, not as a table), its own difference encoder.
struct SCPTestEncoder {
    enum Compression {
        /// No section 2: i16 samples.
        case none
        /// Section 2 holding 19999: the standard's default table.
        case defaultTable
        /// Section 2 holding the default table written out as one custom table (base codes
        /// stored bit-reversed, as the standard stores them).
        case customCopyOfDefault
        /// Two custom tables that switch to each other: table 1 `0` = switch to table 2,
        /// `1`+16 bits = a value; table 2 `0` = value 0, `1` = switch to table 1.
        case switchingTables
    }

    struct Measurements {
        var pOnset = 100, pOffset = 210, qrsOnset = 260, qrsOffset = 352, tOffset = 640
        var pAxis: Int16 = 54, qrsAxis: Int16 = 48, tAxis: Int16 = 41
        var ventricularRate = 72, qtc = 416
    }

    var patientID: String? = "VC-2026-00042"
    var date: (year: Int, month: Int, day: Int)? = (2026, 3, 14)
    var time: (hour: Int, minute: Int, second: Int)? = (9, 26, 53)
    var deviceModel = "PGC12"
    var deviceSerial = "ECG1200-0042"
    var leadCodes: [UInt8] = [1, 2, 61, 62, 63, 64, 3, 4, 5, 6, 7, 8]
    var samples: [[Int32]]
    var amplitudeMultiplier = 5000
    var intervalMicros = 2000
    var difference = 2
    var compression = Compression.defaultTable
    var bimodal = false
    var referenceBeatSubtracted = false
    var measurements: Measurements? = Measurements()
    /// Section 1 tags written after tag 8, e.g. `(4, [9, 0, 1])` for age 9 years.
    var extraTags: [(UInt8, [UInt8])] = []
    /// Section 8: confirmation byte and full-text statements; nil for no section 8.
    var textStatements: (confirmation: UInt8, texts: [String])?
    /// Write section 8 texts in ISO 8859-1 (one byte per character) instead of UTF-8.
    var latin1Statements = false
    /// Section 11: confirmation byte and statements (type byte 1, then the texts); nil for none.
    var codedStatements: (confirmation: UInt8, texts: [String])?

    init(samples: [[Int32]]) { self.samples = samples }

    /// The record and where each section sits (0-based offset, length).
    func build() -> (bytes: [UInt8], sections: [Int: (offset: Int, length: Int)]) {
        var bodies: [(Int, [UInt8])] = [(1, section1())]
        if let s2 = section2() { bodies.append((2, s2)) }
        bodies.append((3, section3()))
        bodies.append((6, section6()))
        if let m = measurements { bodies.append((7, section7(m))) }
        if let s8 = textStatements {
            let encoded = s8.texts.map { latin1Statements ? $0.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } : Array($0.utf8) }
            bodies.append((8, statementSection(s8.confirmation, encoded.map { $0 + [0] })))
        }
        if let s11 = codedStatements {
            bodies.append((11, statementSection(s11.confirmation, s11.texts.map { [1] + Array($0.utf8) + [0] })))
        }
        // Section 0 holds pointers for ids 0…11; its size is fixed, so offsets follow.
        let section0Length = 16 + 12 * 10
        var offset = 6 + section0Length
        var placed: [Int: (offset: Int, length: Int)] = [0: (6, section0Length)]
        var sectionBytes: [[UInt8]] = []
        for (id, body) in bodies {
            let s = Self.section(id: id, body: body)
            placed[id] = (offset, s.count)
            sectionBytes.append(s)
            offset += s.count
        }
        var pointers: [UInt8] = []
        for id in 0...11 {
            let p = placed[id]
            Self.put16(&pointers, id)
            Self.put32(&pointers, p?.length ?? 0)
            Self.put32(&pointers, p.map { $0.offset + 1 } ?? 0)
        }
        var record: [UInt8] = [0, 0, 0, 0, 0, 0]
        record += Self.section(id: 0, body: pointers)
        for s in sectionBytes { record += s }
        return (Self.seal(record), placed)
    }

    var bytes: [UInt8] { build().bytes }

    // MARK: sections

    func section1() -> [UInt8] {
        var b: [UInt8] = []
        func tag(_ t: UInt8, _ value: [UInt8]) {
            b.append(t)
            Self.put16(&b, value.count)
            b += value
        }
        if let patientID { tag(2, Array(patientID.utf8) + [0]) }
        if let date {
            var v: [UInt8] = []
            Self.put16(&v, date.year)
            v += [UInt8(date.month), UInt8(date.day)]
            tag(25, v)
        }
        if let time { tag(26, [UInt8(time.hour), UInt8(time.minute), UInt8(time.second)]) }
        var device: [UInt8] = []
        Self.put16(&device, 7)        // institution
        Self.put16(&device, 3)        // department
        Self.put16(&device, 4242)     // device id
        device += [0, 255]            // cart; manufacturer code 255 = see the trade name text
        device += Array((deviceModel + "\0\0\0\0\0\0").utf8.prefix(6))
        device += [20, 0xA0, 0, 0, 1] // protocol revision, compatibility, language, capabilities, 50 Hz
        device += [UInt8](repeating: 0, count: 16)
        device += [4] + Array("1.0\0".utf8)
        for text in [deviceSerial, "pocgate-test", "pocgate-test", "Constructed"] { device += Array(text.utf8) + [0] }
        tag(14, device)
        tag(8, [1])
        for (t, value) in extraTags { tag(t, value) }
        b += [255, 0, 0]
        return b
    }

    func section2() -> [UInt8]? {
        var b: [UInt8] = []
        switch compression {
        case .none: return nil
        case .defaultTable: Self.put16(&b, 19999)
        case .customCopyOfDefault:
            Self.put16(&b, 1)
            Self.put16(&b, 19)
            func code(_ prefixBits: Int, _ totalBits: Int, _ value: Int, _ msbFirst: UInt32) {
                b += [UInt8(prefixBits), UInt8(totalBits), 1]
                Self.put16(&b, value & 0xFFFF)
                Self.put32(&b, Int(Self.reversed(msbFirst, bits: prefixBits)))
            }
            code(1, 1, 0, 0)
            for m in 1...8 {
                let ones = UInt32((1 << m) - 1) << 2
                code(m + 2, m + 2, m, ones)
                code(m + 2, m + 2, -m, ones | 1)
            }
            code(10, 18, 0, 0x3FE)
            code(10, 26, 0, 0x3FF)
        case .switchingTables:
            Self.put16(&b, 2)
            Self.put16(&b, 2)
            b += [1, 1, 0]; Self.put16(&b, 2); Self.put32(&b, 0)       // "0": switch to table 2
            b += [1, 17, 1]; Self.put16(&b, 0); Self.put32(&b, 1)      // "1" + 16 bits: a value
            Self.put16(&b, 2)
            b += [1, 1, 1]; Self.put16(&b, 0); Self.put32(&b, 0)       // "0": value 0
            b += [1, 1, 0]; Self.put16(&b, 1); Self.put32(&b, 1)       // "1": switch to table 1
        }
        return b
    }

    func section3() -> [UInt8] {
        var b: [UInt8] = [UInt8(leadCodes.count), UInt8(0x04 | leadCodes.count << 3 | (referenceBeatSubtracted ? 1 : 0))]
        for (i, code) in leadCodes.enumerated() {
            Self.put32(&b, 1)
            Self.put32(&b, samples[i].count)
            b.append(code)
        }
        return b
    }

    func section6() -> [UInt8] {
        var b: [UInt8] = []
        Self.put16(&b, amplitudeMultiplier)
        Self.put16(&b, intervalMicros)
        b += [UInt8(difference), bimodal ? 1 : 0]
        let data = samples.map { leadData(differences(of: $0)) }
        for d in data { Self.put16(&b, d.count) }
        for d in data { b += d }
        return b
    }

    func section7(_ m: Measurements) -> [UInt8] {
        var b: [UInt8] = [1, 0]
        Self.put16(&b, 833)
        Self.put16(&b, 833)
        for v in [m.pOnset, m.pOffset, m.qrsOnset, m.qrsOffset, m.tOffset] { Self.put16(&b, v) }
        for a in [m.pAxis, m.qrsAxis, m.tAxis] { Self.put16(&b, Int(UInt16(bitPattern: a))) }
        Self.put16(&b, 12)
        b += [UInt8](repeating: 0, count: 12)
        Self.put16(&b, m.ventricularRate)
        Self.put16(&b, m.ventricularRate)
        Self.put16(&b, m.qtc)
        b.append(1)
        Self.put16(&b, 0)
        return b
    }

    /// Sections 8 and 11: confirmation, date and time of the interpretation, count, then
    /// each statement as sequence number, length u16 and its bytes.
    func statementSection(_ confirmation: UInt8, _ statements: [[UInt8]]) -> [UInt8] {
        var b: [UInt8] = [confirmation]
        Self.put16(&b, 2026)
        b += [3, 14, 9, 30, 0, UInt8(statements.count)]
        for (i, statement) in statements.enumerated() {
            b.append(UInt8(i + 1))
            Self.put16(&b, statement.count)
            b += statement
        }
        return b
    }

    // MARK: coding

    /// d[0] = x[0], d[1] = x[1] (second) or x[1] − x[0] (first), then the chosen difference.
    func differences(of x: [Int32]) -> [Int32] {
        x.indices.map { i in
            switch difference {
            case 1: return i == 0 ? x[0] : x[i] - x[i - 1]
            case 2: return i < 2 ? x[i] : x[i] - 2 * x[i - 1] + x[i - 2]
            default: return x[i]
            }
        }
    }

    func leadData(_ values: [Int32]) -> [UInt8] {
        var w = BitWriter()
        switch compression {
        case .none:
            var b: [UInt8] = []
            for v in values { Self.put16(&b, Int(UInt16(bitPattern: Int16(v)))) }
            return b
        case .defaultTable, .customCopyOfDefault:
            for v in values {
                let m = Int(v.magnitude)
                if v == 0 {
                    w.write(0, bits: 1)
                } else if m <= 8 {
                    w.write(UInt32((1 << m) - 1), bits: m)   // m ones
                    w.write(0, bits: 1)                       // then a zero
                    w.write(v < 0 ? 1 : 0, bits: 1)           // then the sign
                } else if v >= -128 && v <= 127 {
                    w.write(0x3FE, bits: 10)
                    w.write(UInt32(UInt8(bitPattern: Int8(v))), bits: 8)
                } else {
                    w.write(0x3FF, bits: 10)
                    w.write(UInt32(UInt16(bitPattern: Int16(v))), bits: 16)
                }
            }
        case .switchingTables:
            var inTable2 = false
            for v in values {
                if v == 0 {
                    if !inTable2 { w.write(0, bits: 1); inTable2 = true }
                    w.write(0, bits: 1)
                } else {
                    if inTable2 { w.write(1, bits: 1); inTable2 = false }
                    w.write(1, bits: 1)
                    w.write(UInt32(UInt16(bitPattern: Int16(v))), bits: 16)
                }
            }
        }
        return w.bytes
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var used = 8

        mutating func write(_ value: UInt32, bits: Int) {
            for k in stride(from: bits - 1, through: 0, by: -1) {
                if used == 8 { bytes.append(0); used = 0 }
                if (value >> UInt32(k)) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(used) }
                used += 1
            }
        }
    }

    // MARK: framing

    static func section(id: Int, body: [UInt8]) -> [UInt8] {
        var s: [UInt8] = [0, 0]
        put16(&s, id)
        put32(&s, 16 + body.count)
        s += [20, 20]
        s += id == 0 ? Array("SCPECG".utf8) : [0, 0, 0, 0, 0, 0]
        s += body
        let c = crc(s[2...])
        s[0] = UInt8(c & 0xFF); s[1] = UInt8(c >> 8)
        return s
    }

    /// Writes the record length and CRC.
    static func seal(_ record: [UInt8]) -> [UInt8] {
        var r = record
        r[2] = UInt8(r.count & 0xFF); r[3] = UInt8(r.count >> 8 & 0xFF); r[4] = UInt8(r.count >> 16 & 0xFF); r[5] = UInt8(r.count >> 24 & 0xFF)
        let c = crc(r[2...])
        r[0] = UInt8(c & 0xFF); r[1] = UInt8(c >> 8)
        return r
    }

    /// Recomputes a section's CRC in place (after a test changed its bytes), then the record's.
    static func resealSection(_ record: [UInt8], offset: Int, length: Int) -> [UInt8] {
        var r = record
        let c = crc(r[(offset + 2)..<(offset + length)])
        r[offset] = UInt8(c & 0xFF); r[offset + 1] = UInt8(c >> 8)
        return seal(r)
    }

    /// CRC-16/CCITT-FALSE, bit by bit (poly 0x1021, init 0xFFFF).
    static func crc<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var r: UInt16 = 0xFFFF
        for b in bytes {
            r ^= UInt16(b) << 8
            for _ in 0..<8 { r = r & 0x8000 != 0 ? (r << 1) ^ 0x1021 : r << 1 }
        }
        return r
    }

    static func reversed(_ v: UInt32, bits: Int) -> UInt32 {
        (0..<bits).reduce(0) { acc, k in acc | ((v >> UInt32(k)) & 1) << UInt32(bits - 1 - k) }
    }

    static func put16(_ b: inout [UInt8], _ v: Int) { b += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func put32(_ b: inout [UInt8], _ v: Int) { put16(&b, v & 0xFFFF); put16(&b, v >> 16 & 0xFFFF) }
}
