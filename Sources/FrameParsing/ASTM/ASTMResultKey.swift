import PocGateCore

/// What makes two results of one transfer the same record for the occurrence count in the
/// record key: the parts the key's text is written from, held as values so that no text is
/// built to count them.
struct ASTMResultKey: Hashable, Sendable {
    var time: LocalDateTime
    var kind: ObservationKind
    var value: ExactDecimal
    var unit: String
    /// Bit `i` set: `ASTMFlagOrder.sorted[i]` is set.
    var flags: UInt32
    /// The LOINC code, for a laboratory analyte only.
    var loinc: String?
    var status: ResultStatus
}

/// The reading flags an E1394 result can carry, in the order `Reading.flags` lists them.
enum ASTMFlagOrder {
    static let sorted: [ReadingFlag] = ReadingFlag.allCases.sorted()

    /// The bit of `flag` in `ASTMResultKey.flags`.
    static func bit(_ flag: ReadingFlag) -> UInt32 {
        UInt32(1) << UInt32(sorted.firstIndex(of: flag)!)
    }

    static let aboveRange = bit(.aboveRange)
    static let belowRange = bit(.belowRange)
    static let abnormalHigh = bit(.abnormalHigh)
    static let abnormalLow = bit(.abnormalLow)
    static let beforeMeal = bit(.beforeMeal)
    static let afterMeal = bit(.afterMeal)
    static let controlSolution = bit(.controlSolution)

    /// The flags of `mask`, sorted.
    static func flags(_ mask: UInt32) -> [ReadingFlag] {
        guard mask != 0 else { return [] }
        var out: [ReadingFlag] = []
        out.reserveCapacity(mask.nonzeroBitCount)
        for (i, f) in sorted.enumerated() where mask & (UInt32(1) << UInt32(i)) != 0 { out.append(f) }
        return out
    }
}

/// The analyte and unit look-ups of one sender's results, remembered by the text the sender
/// wrote: a device repeats the same few test names and units in every result. Bounded: the
/// table is emptied when it reaches `limit` entries.
struct ASTMLookups: Sendable {
    static let limit = 256
    private var analyteIndex: [String: Int?] = [:]
    private var units: [String: String?] = [:]

    /// `table.analyte(named:)`, as an index into `table.analytes`.
    mutating func analyte(_ name: String, _ table: AnalyteTable) -> AnalyteTable.Analyte? {
        if let hit = analyteIndex[name] { return hit.map { table.analytes[$0] } }
        // The search `analyte(named:)` makes: the last analyte with the name, compared normalised.
        let key = AnalyteTable.normalised(name)
        let index = key.isEmpty ? nil : table.analytes.lastIndex { $0.names.contains { AnalyteTable.normalised($0) == key } }
        if analyteIndex.count >= Self.limit { analyteIndex.removeAll() }
        analyteIndex[name] = .some(index)
        return index.map { table.analytes[$0] }
    }

    /// `table.ucum(text)`.
    mutating func ucum(_ text: String, _ table: AnalyteTable) -> String? {
        if let hit = units[text] { return hit }
        let found = table.ucum(text)
        if units.count >= Self.limit { units.removeAll() }
        units[text] = .some(found)
        return found
    }
}

/// Writes the text of record keys and identities into a reused byte buffer, exactly as the
/// `description`s of the values would read.
extension Array where Element == UInt8 {
    mutating func appendText(_ s: String) { append(contentsOf: s.utf8) }

    mutating func appendText(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// `String(v)`, left-padded with zeros to `width` characters.
    mutating func appendDecimal<T: BinaryInteger>(_ v: T, width: Int = 0) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var m = v.magnitude
        Swift.withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(truncatingIfNeeded: m % 10) + 0x30
                m /= 10
                count += 1
            } while m > 0
        }
        let negative = v < 0
        let length = count + (negative ? 1 : 0)
        if length < width { append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - length)) }
        if negative { append(UInt8(ascii: "-")) }
        Swift.withUnsafeBytes(of: &digits) { d in append(contentsOf: d[(20 - count)...]) }
    }

    /// `LocalDateTime.description`: `YYYY-MM-DDTHH:MM:SS`.
    mutating func appendTime(_ t: LocalDateTime) {
        appendDecimal(t.year, width: 4); append(UInt8(ascii: "-"))
        appendDecimal(t.month, width: 2); append(UInt8(ascii: "-"))
        appendDecimal(t.day, width: 2); append(UInt8(ascii: "T"))
        appendDecimal(t.hour, width: 2); append(UInt8(ascii: ":"))
        appendDecimal(t.minute, width: 2); append(UInt8(ascii: ":"))
        appendDecimal(t.second, width: 2)
    }

    /// `ExactDecimal.description`.
    mutating func appendDecimal(_ d: ExactDecimal) {
        guard d.scale > 0 else { appendDecimal(d.mantissa); return }
        if d.mantissa < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(d.mantissa.magnitude, width: Int(d.scale) + 1)
        insert(UInt8(ascii: "."), at: count - Int(d.scale))
    }
}
