public import PocGateCore

/// One Ultra 2 record with its stable key.
public struct Ultra2Entry: Sendable, Equatable {
    public var record: Ultra2Record
    /// The stable identity of this measurement within the meter (never the memory index).
    public var recordKey: String
    /// The record line as received (text, space, checksum), for provenance.
    public var raw: [UInt8]

    /// The comment codes 01…11, in order.
    static let comments: [ReadingFlag] = [.notEnoughFood, .tooMuchFood, .mildExercise, .hardExercise, .medication,
                                          .stress, .illness, .feelHypo, .menses, .vacation, .otherComment]

    /// The flags the line carries.
    public var flags: [ReadingFlag] {
        var f: [ReadingFlag] = []
        if record.controlSolution { f.append(.controlSolution) }
        if record.meal == UInt8(ascii: "B") { f.append(.beforeMeal) }
        if record.meal == UInt8(ascii: "A") { f.append(.afterMeal) }
        if record.comment >= 1 { f.append(Self.comments[record.comment - 1]) }
        return f.sorted()
    }

    /// The reading, or nil with a reason.
    public func reading(profileID: String, serial: String) -> Result<Reading, Ultra2Problem> {
        guard !record.parityError else { return .failure(.parityError(String(decoding: raw, as: UTF8.self))) }
        let unit = "mg/dL"
        guard let code = ObservationKind.glucose.loincCode(unit: unit) else { return .failure(.unparsed("")) }
        return .success(Reading(profileID: profileID, deviceSerial: serial, deviceModel: Ultra2Dump.model, recordKey: recordKey,
                                kind: .glucose, code: code, value: ExactDecimal(record.mgdL), unit: unit,
                                deviceTime: record.time, flags: flags, raw: raw))
    }
}

/// Why an Ultra 2 line did not become a reading.
public enum Ultra2Problem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The meter marked the stored value with `?` (parity error): not uploaded.
    case parityError(String)
    /// A record line whose fields do not have the documented layout.
    case unparsed(String)
    /// A line with a good checksum whose shape pocgate does not know.
    case unknownLine(String)

    public var description: String {
        switch self {
        case let .parityError(line): return "the meter marked this record with a parity error: \(line)"
        case let .unparsed(line): return "record line does not have the documented layout: \(line)"
        case let .unknownLine(line): return "line of unknown shape: \(line)"
        }
    }
}

/// What one Ultra 2 line told the dump.
public enum Ultra2DumpEvent: Sendable, Equatable {
    case dumpHeader(count: Int, serial: String?)
    case serial(String)
    case clock(LocalDateTime?)
    case unit(String)
    case firmware(String)
    case entry(Ultra2Entry)
    case problem(Ultra2Problem)
    case none
}

/// Assembles Ultra 2 reply lines (`DM@`, `DMF`, `DMSU?`, `DMP`) into identity and records.
public struct Ultra2Dump: Sendable {
    /// The model name written into readings.
    public static let model = "OneTouch Ultra 2"

    public private(set) var serial: String?
    public private(set) var clock: LocalDateTime?
    public private(set) var displayUnit: String?
    public private(set) var firmware: String?
    public private(set) var recordCount: Int?
    /// How often each (time, value, flags, comment) tuple has been seen in the current copy of
    /// the dump, for identical records (twins).
    private var occurrences: [String: Int] = [:]
    /// Record lines of the current copy of the dump so far.
    private var recordsInCopy = 0

    public init() {}

    /// Takes one meter→host line. A meter whose host sends `DMP` twice answers with its whole
    /// dump twice in one session: each copy starts at its header, or — when that header was
    /// lost to line noise — after the announced number of records, and counts twins afresh,
    /// so the second copy's records get the first copy's keys and are stored once.
    public mutating func consume(_ line: Ultra2Line) -> Ultra2DumpEvent {
        switch line.kind {
        case let .record(r):
            if let count = recordCount, count > 0, recordsInCopy >= count {
                occurrences = [:]
                recordsInCopy = 0
            }
            recordsInCopy += 1
            let tuple = "\(r.time)|\(r.mgdL)|\(r.controlSolution ? "C" : "-")\(Character(Unicode.Scalar(r.meal)))|\(r.comment)"
            let n = occurrences[tuple, default: 0]
            occurrences[tuple] = n + 1
            let raw = line.text.array + [0x20] + ASCIIHex.encode4(line.checksum)
            return .entry(Ultra2Entry(record: r, recordKey: "\(tuple)|\(n)", raw: raw))
        case let .dumpHeader(count):
            // A new copy of the dump: identical tuples are counted afresh.
            occurrences = [:]
            recordsInCopy = 0
            recordCount = count
            if let s = line.serial { serial = s }
            if let u = line.displayUnit { displayUnit = u }
            return .dumpHeader(count: count, serial: line.serial)
        case .serial:
            guard let s = line.serial else { return .none }
            serial = s
            return .serial(s)
        case let .clock(t):
            clock = t
            return .clock(t)
        case .unitSetting:
            guard let u = line.displayUnit else { return .none }
            displayUnit = u
            return .unit(u)
        case .firmware:
            let f = line.text.text(1..<line.text.count)
            firmware = f
            return .firmware(f)
        case .unparsedRecord:
            return .problem(.unparsed(line.text.text()))
        case .other:
            // A checked line of no known shape: kept with its text, never silently dropped.
            return .problem(.unknownLine(line.text.text()))
        }
    }
}
