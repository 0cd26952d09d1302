public import PocGateCore

/// What a meter→host CodeFree message is.
public enum CodeFreeMessage: Sendable, Equatable {
    /// `10 30`: the meter's opening challenge.
    case challenge
    /// `30 count:u16be AA…`: the number of stored records.
    case recordCount(Int)
    /// One stored record, newest first.
    case record(CodeFreeRecord)
    /// `10 70`: the meter acknowledges a disconnect.
    case disconnected
    /// Anything else (kept as bytes for the log).
    case other

    /// Bytes from the year to the end of a record message; fields are located from the end.
    static let recordTail = 15

    /// Classifies a message. Record fields are located from the end of the message:
    /// `year month day hour minute value:u16be meal` and then seven bytes of unknown meaning.
    /// What precedes the year (one byte or two; sources differ) is kept, not interpreted.
    public init(_ m: InlineBytes) {
        if m.count == 2 && m[0] == 0x10 && m[1] == 0x30 { self = .challenge; return }
        if m.count == 2 && m[0] == 0x10 && m[1] == 0x70 { self = .disconnected; return }
        if m.count == 22 && m[0] == 0x30 { self = .recordCount(Int(m[1]) << 8 | Int(m[2])); return }
        guard m.count >= Self.recordTail + 1 else { self = .other; return }
        let y = m.count - Self.recordTail
        let time = LocalDateTime(year: 2000 + Int(m[y]), month: Int(m[y + 1]), day: Int(m[y + 2]),
                                 hour: Int(m[y + 3]), minute: Int(m[y + 4]))
        guard time.isValid else { self = .other; return }
        self = .record(CodeFreeRecord(time: time, mgdL: Int(m[y + 5]) << 8 | Int(m[y + 6]), meal: m[y + 7]))
    }
}

/// The fields of one CodeFree record.
public struct CodeFreeRecord: Sendable, Hashable {
    /// The measurement time (two-digit year + 2000, minute resolution).
    public var time: LocalDateTime
    /// Glucose in mg/dL.
    public var mgdL: Int
    /// `00` none, `10` before meal, `20` after meal.
    public var meal: UInt8

    /// The flags, or nil when the meal byte is not one of the documented values.
    public var flags: [ReadingFlag]? {
        switch meal {
        case 0x00: return []
        case 0x10: return [.beforeMeal]
        case 0x20: return [.afterMeal]
        default: return nil
        }
    }

    public init(time: LocalDateTime, mgdL: Int, meal: UInt8) {
        self.time = time
        self.mgdL = mgdL
        self.meal = meal
    }
}
