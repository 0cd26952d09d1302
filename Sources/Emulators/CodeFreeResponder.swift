/// An SD Biosensor SD CodeFree in transfer mode (the public notes: glucometerutils' driver,
/// glucometer-protocols). Frames are `53 dir len message xor AA` (dir 20 meter→host, 10
/// host→meter, len = message length + 2, xor over the message). The meter opens with the
/// challenge `10 30` (repeated every half second until answered: the notes say only that it
/// opens with it, and a host may open the port late); the answer `10 40` gets the count
/// `30 n:u16be` + 19 × `AA`; each fetch `10 60` one record, newest first. A fetch past the last
/// record disconnects (`10 70`, counted as a violation); any other frame is E-5: counted as a
/// violation, and the meter answers nothing more, as until a power cycle.
public struct CodeFreeResponder: MeterResponder {
    public var model: String { "SD CodeFree" }

    private let records: [EmulatedRecord]
    private var buffer: [UInt8] = []
    private var answered = false
    private var next = 0
    private var halted = false
    private var lastChallenge: Int64?

    /// A meter holding `records` (index 0 the newest; `flags` 0x40 before, 0x80 after meal).
    public init(records: [EmulatedRecord]) {
        self.records = Array(records.prefix(0xFFFF))
    }

    public mutating func unprompted(atMillis millis: Int64) -> [UInt8] {
        guard !answered, !halted else { return [] }
        if let last = lastChallenge, millis - last < 500 { return [] }
        lastChallenge = millis
        return Self.frame([0x10, 0x30])
    }

    public mutating func receive(_ bytes: [UInt8], counters: inout EmulatorCounters) -> [UInt8] {
        buffer += bytes
        var out: [UInt8] = []
        while !buffer.isEmpty {
            guard let start = buffer.firstIndex(of: 0x53) else {
                counters.garbageBytesSkipped += buffer.count
                buffer.removeAll()
                break
            }
            if start > 0 {
                counters.garbageBytesSkipped += start
                buffer.removeFirst(start)
            }
            guard buffer.count >= 3 else { break }
            let total = 3 + Int(buffer[2])
            guard buffer.count >= total else { break }
            let raw = Array(buffer[0..<total])
            buffer.removeFirst(total)
            guard total >= 6 else {
                counters.badFramesIgnored += 1
                continue
            }
            let message = Array(raw[3..<(total - 2)])
            guard raw[1] == 0x10, Self.frame(message) == [0x53, 0x20] + raw[2...] else {
                counters.badFramesIgnored += 1
                continue
            }
            out += answer(message, &counters)
        }
        if buffer.count > 300 { buffer.removeAll() }
        return out
    }

    private mutating func answer(_ message: [UInt8], _ counters: inout EmulatorCounters) -> [UInt8] {
        if halted {
            counters.unansweredFrames += 1
            return []
        }
        if message == [0x10, 0x40], !answered {
            answered = true
            counters.framesAnswered += 1
            return Self.frame([0x30, UInt8(records.count >> 8), UInt8(records.count & 0xFF)] + [UInt8](repeating: 0xAA, count: 19))
        }
        if message == [0x10, 0x60], answered {
            guard next < records.count else {
                halted = true
                counters.violations += 1
                return Self.frame([0x10, 0x70])
            }
            let r = records[next]
            next += 1
            counters.framesAnswered += 1
            let meal: UInt8 = r.flags == EmulatedRecord.beforeMeal ? 0x10 : r.flags == EmulatedRecord.afterMeal ? 0x20 : 0x00
            let t = r.time
            let value = min(max(r.valueMgdL, 0), 0xFFFF)
            return Self.frame([0x00, 0x00, UInt8(clamping: t.year - 2000), UInt8(t.month), UInt8(t.day), UInt8(t.hour),
                               UInt8(t.minute), UInt8(value >> 8), UInt8(value & 0xFF), meal] + [UInt8](repeating: 0, count: 7))
        }
        halted = true
        counters.violations += 1
        return []
    }

    /// A meter→host frame around `message`.
    static func frame(_ message: [UInt8]) -> [UInt8] {
        [0x53, 0x20, UInt8(message.count + 2)] + message + [message.reduce(0, ^), 0xAA]
    }
}
