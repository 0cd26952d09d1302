public import PocGateCore

/// An Abbott FreeStyle Optium answering `$xmem` (glucometerutils' fsoptium driver and its
/// result-line expression, glucometer-protocols' notes). Commands end with CR LF; the meter
/// ignores the first command after it is plugged in. The dump: CR LF, serial, version, clock
/// `Mmmm DD YYYY HH:MM:SS`, a three-digit count, one line `VVV  Mmmm DD YYYY HH:MM G 0x00` per
/// record (newest first), `0xHHHH  END` (the 16-bit sum of every character before `0x`), then
/// `CMD OK`. Month names are three letters and a space, June and July in full. `$tim…` (set the
/// clock) is counted as a violation and never honoured.
public struct FreeStyleOptiumResponder: MeterResponder {
    public var model: String { "FreeStyle Optium" }

    private let serial: String
    private let records: [EmulatedRecord]
    private let clock: LocalDateTime
    private var buffer: [UInt8] = []
    private var ignoredFirst = false

    /// A meter with `serial`, `records` (index 0 the newest) and the clock it reports.
    public init(serial: String = "QAGP123-45678", records: [EmulatedRecord], clock: LocalDateTime) {
        self.serial = serial
        self.records = Array(records.prefix(999))
        self.clock = clock
    }

    public mutating func receive(_ bytes: [UInt8], counters: inout EmulatorCounters) -> [UInt8] {
        buffer += bytes
        var out: [UInt8] = []
        while let end = OneTouchUltra2Responder.find([0x0D, 0x0A], in: buffer) {
            let command = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 2)
            out += answer(command, &counters)
        }
        if buffer.count > 256 {
            counters.garbageBytesSkipped += buffer.count
            buffer.removeAll()
        }
        return out
    }

    private mutating func answer(_ command: String, _ counters: inout EmulatorCounters) -> [UInt8] {
        if command.hasPrefix("$tim") {
            counters.violations += 1
            return []
        }
        guard ignoredFirst else {
            ignoredFirst = true
            counters.unansweredFrames += 1
            return []
        }
        guard command == "$xmem" else {
            counters.unansweredFrames += 1
            return []
        }
        counters.framesAnswered += 1
        let d = OneTouchUltra2Responder.digits
        var text = "\r\n\(serial)\r\n0.22\r\n\(Self.date(clock)) \(d(clock.hour, 2)):\(d(clock.minute, 2)):\(d(clock.second, 2))\r\n"
        text += "\(d(records.count, 3))\r\n"
        for r in records {
            text += "\(d(r.valueMgdL, 3))  \(Self.date(r.time)) \(d(r.time.hour, 2)):\(d(r.time.minute, 2)) G 0x00\r\n"
        }
        let sum = text.utf8.reduce(UInt16(0)) { $0 &+ UInt16($1) }
        text += "0x\(OneTouchUltra2Responder.hex4(sum))  END\r\nCMD OK\r\n"
        return Array(text.utf8)
    }

    /// `Mmmm DD YYYY`.
    static func date(_ t: LocalDateTime) -> String {
        let months = ["Jan ", "Feb ", "Mar ", "Apr ", "May ", "June", "July", "Aug ", "Sep ", "Oct ", "Nov ", "Dec "]
        return "\(months[min(max(t.month, 1), 12) - 1]) \(OneTouchUltra2Responder.digits(t.day, 2)) \(OneTouchUltra2Responder.digits(t.year, 4))"
    }
}
