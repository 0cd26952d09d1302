public import PocGateCore

/// The fields of one readings line `type,value,unit,marking,yymmdd,HHMM`, as sent.
public struct GlucoMenAreoRecord: Sendable, Hashable {
    /// `Glu` for glucose; other types are not documented.
    public var type: String
    /// The value as the meter wrote it (`120`, `5.6`).
    public var valueText: String
    /// `mg/dL` or `mmol/L`, as sent.
    public var unit: String
    /// Two digits: `00` none, `01` check mark, `02` before meal, `04` after meal, `08` exercise.
    public var marking: String
    /// The meter's local time of the measurement (minute resolution, year 20yy).
    public var time: LocalDateTime

    /// The documented glucose units.
    public static let units = ["mg/dL", "mmol/L"]

    /// The line's six fields, or nil when it does not have that shape (fields of printable
    /// ASCII, a date `yymmdd` and a time `HHMM` that exist).
    public static func parse(_ line: [UInt8]) -> GlucoMenAreoRecord? {
        guard line.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { return nil }
        let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count == 6, let date = digits(fields[4], 6), let clock = digits(fields[5], 4) else { return nil }
        let time = LocalDateTime(year: 2000 + date / 10_000, month: date / 100 % 100, day: date % 100,
                                 hour: clock / 100, minute: clock % 100)
        guard time.isValid else { return nil }
        func text(_ f: ArraySlice<UInt8>) -> String { String(decoding: f, as: UTF8.self) }
        return GlucoMenAreoRecord(type: text(fields[0]), valueText: text(fields[1]), unit: text(fields[2]),
                                  marking: text(fields[3]), time: time)
    }

    static func digits(_ f: ArraySlice<UInt8>, _ count: Int) -> Int? {
        guard f.count == count else { return nil }
        var v = 0
        for c in f {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// The meal flag of the marking, when it is one; nil for `00`. `01` (check mark), `08`
    /// (exercise) and undocumented codes have no flag: `markingProblem` says why.
    var mealFlags: [ReadingFlag]? {
        switch marking {
        case "00": return []
        case "02": return [.beforeMeal]
        case "04": return [.afterMeal]
        default: return nil
        }
    }
}

/// Why a GlucoMen areo reply or line did not become readings.
public enum GlucoMenAreoProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line without the six fields of a reading.
    case unparsed(String)
    /// A reading type other than `Glu`: its meaning and unit are not public.
    case otherType(String)
    /// A unit other than `mg/dL` or `mmol/L`.
    case unknownUnit(String)
    /// A value that is not a positive decimal.
    case badValue(String)
    /// Marking `01` (check mark) or `08` (exercise): pocgate has no flag that states them.
    case unmappedMarking(String)
    /// A marking code that is not documented.
    case unknownMarking(String)
    /// The information reply did not have five fields with a serial in the fourth.
    case badInfo(String)
    /// A reply block that is neither the information nor the readings reply.
    case unexpectedBlock(String)

    public var description: String {
        switch self {
        case let .unparsed(l): return "reading line does not have the six fields type,value,unit,marking,yymmdd,HHMM: \(l)"
        case let .otherType(l): return "reading type other than Glu is not documented (kept, not read as glucose): \(l)"
        case let .unknownUnit(l): return "glucose unit other than mg/dL or mmol/L: \(l)"
        case let .badValue(l): return "glucose value is not a positive decimal: \(l)"
        case let .unmappedMarking(l):
            return "marking 01 (check mark) or 08 (exercise) has no pocgate flag and its meaning is not public; kept as a problem rather than uploaded without it: \(l)"
        case let .unknownMarking(l): return "marking code not documented (00, 01, 02, 04, 08): \(l)"
        case let .badInfo(l): return "information reply is not five comma-separated fields with a serial in the fourth: \(l)"
        case let .unexpectedBlock(l): return "reply block is neither the information nor the readings reply: \(l)"
        }
    }

    /// `line` for a message: printable ASCII kept, other bytes as `<xx>`, at most 120 bytes.
    public static func shown(_ line: [UInt8]) -> String {
        var out = ""
        for c in line.prefix(120) {
            if c >= 0x20 && c <= 0x7E { out.unicodeScalars.append(Unicode.Scalar(c)) } else { out += "<" + Hex.byte(c) + ">" }
        }
        return out
    }
}
