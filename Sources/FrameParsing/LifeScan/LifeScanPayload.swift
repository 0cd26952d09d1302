public import PocGateCore

/// Decoding of LifeScan reply messages. A reply does not name the request it answers, so the
/// caller (`LifeScanDump`) pairs it with the request before it.
public enum LifeScanPayload {
    /// Status byte after the prefix in a successful reply.
    public static let success: UInt8 = 0x06
    /// UltraEasy's status byte in the record-count reply.
    public static let ultraEasyCount: UInt8 = 0x0F
    /// Verio times count from 2000-01-01T00:00:00; this is that instant in Unix seconds.
    public static let verioEpoch: Int64 = 946_684_800

    /// The meter-clock reading of a 32-bit little-endian seconds counter at `offset`.
    public static func time(_ m: [UInt8], at offset: Int, dialect: LifeScanDialect) -> LocalDateTime? {
        guard let s = u32(m, offset) else { return nil }
        let t = LocalDateTime(secondsSinceEpoch: Int64(s) + (dialect == .verio ? verioEpoch : 0))
        return t.isValid ? t : nil
    }

    /// A little-endian 16-bit word at `offset`.
    public static func u16(_ m: [UInt8], _ offset: Int) -> UInt16? {
        guard offset + 2 <= m.count else { return nil }
        return UInt16(m[offset]) | UInt16(m[offset + 1]) << 8
    }

    /// A little-endian 32-bit word at `offset`.
    public static func u32(_ m: [UInt8], _ offset: Int) -> UInt32? {
        guard offset + 4 <= m.count else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(m[offset + $1]) << (8 * $1) }
    }

    /// ASCII text with trailing NULs and spaces removed; nil when a byte is not printable.
    public static func ascii(_ bytes: ArraySlice<UInt8>) -> String? {
        var b = Array(bytes)
        while let last = b.last, last == 0 || last == 0x20 { b.removeLast() }
        guard b.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    /// One stored measurement as the reply states it.
    public struct RecordFields: Sendable, Equatable {
        /// The measurement time (meter clock).
        public var time: LocalDateTime
        /// Glucose in mg/dL (both dialects report mg/dL whatever the display unit).
        public var mgdL: UInt32
        /// Verio meal byte: 0 none, 1 before, 2 after; nil for UltraEasy (no meal field).
        public var meal: UInt8?
        /// Verio 2015's second flag byte; its meaning is not public, kept for the record key.
        public var otherFlags: UInt8?
        /// Verio IQ's control byte: 0 a blood test, 1 a control-solution test; nil elsewhere.
        public var control: UInt8?

        public init(time: LocalDateTime, mgdL: UInt32, meal: UInt8?, otherFlags: UInt8?, control: UInt8? = nil) {
            self.time = time
            self.mgdL = mgdL
            self.meal = meal
            self.otherFlags = otherFlags
            self.control = control
        }
    }

    /// A record reply: UltraEasy `05 06 time:u32 value:u32`; Verio `03 06 inverse:u16 00
    /// lifetime:u16 time:u32 glucose:u16 meal 00 other 0B 00`.
    public static func record(_ m: [UInt8], dialect: LifeScanDialect) -> RecordFields? {
        switch dialect {
        case .ultraEasy:
            guard m.count >= 10, let time = time(m, at: 2, dialect: dialect), let v = u32(m, 6) else { return nil }
            return RecordFields(time: time, mgdL: v, meal: nil, otherFlags: nil)
        case .verio:
            guard m.count >= 18, let time = time(m, at: 7, dialect: dialect), let v = u16(m, 11) else { return nil }
            return RecordFields(time: time, mgdL: UInt32(v), meal: m[13], otherFlags: m[15])
        }
    }

    /// A Verio IQ record reply: `03 06 time:u32 glucose:u16 control meal 00 00`, glucose in
    /// mg/dL, time in seconds since 2000. The two trailing bytes are not read.
    public static func verioIQRecord(_ m: [UInt8]) -> RecordFields? {
        guard m.count >= 10, let time = time(m, at: 2, dialect: .verio), let v = u16(m, 6) else { return nil }
        return RecordFields(time: time, mgdL: UInt32(v), meal: m[9], otherFlags: nil, control: m[8])
    }

    /// The flags a record carries, or nil when its meal or control byte is not a known value.
    public static func flags(_ r: RecordFields) -> [ReadingFlag]? {
        var flags: [ReadingFlag]
        switch r.meal {
        case nil, 0: flags = []
        case 1: flags = [.beforeMeal]
        case 2: flags = [.afterMeal]
        default: return nil
        }
        switch r.control {
        case nil, 0: break
        case 1: flags.append(.controlSolution)
        default: return nil
        }
        return flags
    }
}
