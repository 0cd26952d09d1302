public import PocGateCore

/// A LifeScan OneTouch Verio IQ answering the public binary protocol (glucometerutils'
/// otverioiq driver, glucometer-protocols' onetouch-verio-iq notes): the shared LifeScan frames
/// with the link-control byte always 0, no acknowledges, one reply frame per request, messages
/// prefixed 0x03. Version `03 0D 01`, serial `03 0B 01 02`, unit `03 09 02 02`, clock `03 20 02`
/// (u32 LE seconds since 2000-01-01), count `03 27 00` (u16 LE), record n `03 21 n:u16` →
/// `03 06 time:u32 glucose:u16 control meal 00 00` (mg/dL; control 1 = control solution; meal 0
/// none, 1 before, 2 after). Erase (`03 1A`) and a clock write (`03 20 01`) are counted as
/// violations and never honoured; an unknown request, a frame with another link byte or a
/// record past the last gets no answer.
public struct VerioIQResponder: MeterResponder {
    public var model: String { "OneTouch Verio IQ" }

    /// Seconds from 1970-01-01 to the meter's epoch, 2000-01-01.
    static let epochOffset: Int64 = 946_684_800

    private let serial: String
    private let records: [EmulatedRecord]
    private let clock: LocalDateTime
    private var frames = LifeScanFrameSplitter()

    /// A meter with `serial`, `records` (index 0 the newest; values in mg/dL; the before/after
    /// meal marks of `EmulatedRecord.flags` become the meal byte) and the clock it reports.
    public init(serial: String = "X4Q7285VT", records: [EmulatedRecord], clock: LocalDateTime) {
        self.serial = serial
        self.records = Array(records.prefix(0xFFFF))
        self.clock = clock
    }

    public mutating func receive(_ bytes: [UInt8], counters: inout EmulatorCounters) -> [UInt8] {
        frames.take(bytes, counters: &counters).flatMap { answer(link: $0.link, message: $0.message, &counters) }
    }

    private func answer(link: UInt8, message: [UInt8], _ counters: inout EmulatorCounters) -> [UInt8] {
        if message.starts(with: [0x03, 0x1A]) || message.starts(with: [0x03, 0x20, 0x01]) {
            counters.violations += 1
            return []
        }
        guard link == 0, let reply = reply(to: message) else {
            counters.unansweredFrames += 1
            return []
        }
        counters.framesAnswered += 1
        return UltraEasyResponder.frame(link: 0x00, [0x03, 0x06] + reply)
    }

    private func reply(to m: [UInt8]) -> [UInt8]? {
        switch m {
        case [0x03, 0x0D, 0x01]:
            let version = Array("01.08.03".utf8)
            return [UInt8(version.count)] + version + [0x00]
        case [0x03, 0x0B, 0x01, 0x02]: return Array(serial.utf8.prefix(200)) + [0x00]
        case [0x03, 0x09, 0x02, 0x02]: return [0x00, 0x00, 0x00, 0x00]
        case [0x03, 0x20, 0x02]: return UltraEasyResponder.le32(Self.seconds(clock))
        case [0x03, 0x27, 0x00]: return [UInt8(records.count & 0xFF), UInt8(records.count >> 8)]
        default: break
        }
        guard m.count == 4, m[0] == 0x03, m[1] == 0x21 else { return nil }
        let index = Int(m[2]) | Int(m[3]) << 8
        guard index < records.count else { return nil }
        let r = records[index]
        let value = min(max(r.valueMgdL, 0), 0xFFFF)
        let meal: UInt8 = r.flags == EmulatedRecord.beforeMeal ? 1 : r.flags == EmulatedRecord.afterMeal ? 2 : 0
        return UltraEasyResponder.le32(Self.seconds(r.time)) + [UInt8(value & 0xFF), UInt8(value >> 8), 0x00, meal, 0x00, 0x00]
    }

    /// The meter's wall clock counted as seconds from 2000-01-01 (no zone applied).
    static func seconds(_ t: LocalDateTime) -> Int64 {
        UltraEasyResponder.unixSeconds(t) - epochOffset
    }
}
