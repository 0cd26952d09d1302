public import PocGateCore

/// A LifeScan OneTouch Ultra 2 answering the public "DM" commands (LifeScan's published line
/// format as glucometerutils and Tidepool's uploader implement it). A command is DC1 CR, the
/// text, CR; each reply line is the text, a space, the 16-bit sum of the text's bytes as four
/// upper-case hex digits, CR LF. `DMP` answers a header `P NNN,"serial","MG/DL "` and one line
/// per record, newest first. `DMZ` (zero the log) and `DMT…` (set the clock) are counted as
/// violations and never honoured.
public struct OneTouchUltra2Responder: MeterResponder {
    public var model: String { "OneTouch Ultra 2" }

    private let serial: String
    private let records: [EmulatedRecord]
    private let clock: LocalDateTime
    private var buffer: [UInt8] = []

    /// A meter with `serial` (nine characters on real meters), `records` (index 0 the newest;
    /// `flags` 0x40 before, 0x80 after meal) and the clock it reports.
    public init(serial: String = "GMF600DCY", records: [EmulatedRecord], clock: LocalDateTime) {
        self.serial = serial
        self.records = Array(records.prefix(999))
        self.clock = clock
    }

    public mutating func receive(_ bytes: [UInt8], counters: inout EmulatorCounters) -> [UInt8] {
        buffer += bytes
        var out: [UInt8] = []
        while let start = Self.find([0x11, 0x0D], in: buffer) {
            guard let end = buffer[(start + 2)...].firstIndex(of: 0x0D) else { break }
            counters.garbageBytesSkipped += start
            let command = String(decoding: buffer[(start + 2)..<end], as: UTF8.self)
            buffer.removeFirst(end + 1)
            out += answer(command, &counters)
        }
        if buffer.count > 64 {
            counters.garbageBytesSkipped += buffer.count
            buffer.removeAll()
        }
        return out
    }

    private func answer(_ command: String, _ counters: inout EmulatorCounters) -> [UInt8] {
        if command == "DMZ" || command.hasPrefix("DMT") {
            counters.violations += 1
            return []
        }
        counters.framesAnswered += 1
        switch command {
        case "DM@": return Self.line("@ \"\(serial)\"")
        case "DMF": return Self.line("F " + Self.stamp(clock))
        case "DMSU?": return Self.line("SU?,\"MG/DL \"")
        case "DM?": return Self.line("?P02.00.00 30/08/06")
        case "DMP":
            var out = Self.line("P \(Self.digits(records.count, 3)),\"\(serial)\",\"MG/DL \"")
            for r in records {
                let meal = r.flags == EmulatedRecord.beforeMeal ? "B" : r.flags == EmulatedRecord.afterMeal ? "A" : "N"
                out += Self.line("P \(Self.stamp(r.time)),\"  \(Self.digits(r.valueMgdL, 3)) \",\"\(meal)\",\"00\", 00")
            }
            return out
        default:
            counters.framesAnswered -= 1
            counters.unansweredFrames += 1
            return []
        }
    }

    /// `"SAT","06/15/24","08:30:00   "`: weekday, MM/DD/YY, HH:MM:SS and three spaces.
    static func stamp(_ t: LocalDateTime) -> String {
        let days = ["THU", "FRI", "SAT", "SUN", "MON", "TUE", "WED"]   // 1970-01-01 was a Thursday
        let day = Int((t.secondsSinceEpoch / 86_400 % 7 + 7) % 7)
        return "\"\(days[day])\",\"\(digits(t.month, 2))/\(digits(t.day, 2))/\(digits(t.year % 100, 2))\","
            + "\"\(digits(t.hour, 2)):\(digits(t.minute, 2)):\(digits(t.second, 2))   \""
    }

    static func line(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        let sum = bytes.reduce(UInt16(0)) { $0 &+ UInt16($1) }
        return bytes + Array(" \(hex4(sum))\r\n".utf8)
    }

    static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    static func digits(_ v: Int, _ n: Int) -> String {
        let s = String(max(v, 0))
        return String(repeating: "0", count: max(0, n - s.count)) + s
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}
