public import PocGateCore

/// A LifeScan OneTouch UltraEasy / UltraMini answering the public binary protocol (the link
/// layer and UltraEasy messages as glucometerutils' UltraEasy driver and glucometer-protocols'
/// shared binary notes describe them). A frame is `02 len link message 03 crcLo crcHi`, `len`
/// the whole frame, the CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of STX through ETX.
/// The empty link-opening frame (disconnect bit 0x08) is acknowledged (0x04 with the disconnect
/// bit); a request is acknowledged with an empty 0x04 frame, then answered; the host's own
/// empty acknowledges get nothing. Record 0 is the newest; record 501 asks for the count.
/// Erase (`05 1A`) and a clock write (`05 20 01`) are counted as violations and never honoured;
/// an unknown request or a record past the last is acknowledged and left unanswered.
public struct UltraEasyResponder: MeterResponder {
    public var model: String { "OneTouch UltraMini" }

    private let serial: String
    private let records: [EmulatedRecord]
    private let clock: LocalDateTime
    private var frames = LifeScanFrameSplitter()

    /// A meter with `serial` (ASCII, as the meter reports it), `records` (index 0 the newest;
    /// values in mg/dL, meal flags ignored: the UltraEasy stores none) and the clock it reports.
    public init(serial: String = "C2MZ5B3BY", records: [EmulatedRecord], clock: LocalDateTime) {
        self.serial = serial
        self.records = Array(records.prefix(500))
        self.clock = clock
    }

    public mutating func receive(_ bytes: [UInt8], counters: inout EmulatorCounters) -> [UInt8] {
        frames.take(bytes, counters: &counters).flatMap { answer(link: $0.link, message: $0.message, &counters) }
    }

    private func answer(link: UInt8, message: [UInt8], _ counters: inout EmulatorCounters) -> [UInt8] {
        if message.isEmpty {
            guard link & 0x08 != 0 else { return [] }
            counters.framesAnswered += 1
            return Self.frame(link: 0x0C, [])
        }
        if message.starts(with: [0x05, 0x1A]) || message.starts(with: [0x05, 0x20, 0x01]) {
            counters.violations += 1
            return []
        }
        guard let reply = reply(to: message) else {
            counters.unansweredFrames += 1
            return Self.frame(link: 0x04, [])
        }
        counters.framesAnswered += 1
        return Self.frame(link: 0x04, []) + Self.frame(link: 0x00, reply)
    }

    private func reply(to m: [UInt8]) -> [UInt8]? {
        if m == [0x05, 0x0D, 0x02] {
            let version = Array("P02.00.00".utf8)
            return [0x05, 0x06, UInt8(version.count)] + version
        }
        if m.count == 12, m.starts(with: [0x05, 0x0B, 0x02]) {
            return [0x05, 0x06] + Array(serial.utf8.prefix(240))
        }
        if m == [0x05, 0x09, 0x02, 0x09, 0x00, 0x00, 0x00, 0x00] {
            return [0x05, 0x06, 0x00, 0x00, 0x00, 0x00]
        }
        if m == [0x05, 0x20, 0x02, 0x00, 0x00, 0x00, 0x00] {
            return [0x05, 0x06] + Self.le32(Self.unixSeconds(clock))
        }
        guard m.count == 4, m[0] == 0x05, m[1] == 0x1F else { return nil }
        let index = Int(m[2]) | Int(m[3]) << 8
        if index == 501 {
            return [0x05, 0x0F, UInt8(records.count & 0xFF), UInt8(records.count >> 8)]
        }
        guard index < records.count else { return nil }
        let r = records[index]
        return [0x05, 0x06] + Self.le32(Self.unixSeconds(r.time)) + Self.le32(Int64(min(max(r.valueMgdL, 0), 0xFFFF)))
    }

    /// A frame with `link` around `message`.
    static func frame(link: UInt8, _ message: [UInt8]) -> [UInt8] {
        let body: [UInt8] = [0x02, UInt8(message.count + 6), link] + message + [0x03]
        let crc = crc16(body[...])
        return body + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }

    /// CRC-16/CCITT-FALSE, bit by bit.
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    /// The meter's wall clock counted as seconds from 1970-01-01 (no zone applied).
    static func unixSeconds(_ t: LocalDateTime) -> Int64 {
        // Days from the civil date (proleptic Gregorian), March-based year.
        let y = Int64(t.month <= 2 ? t.year - 1 : t.year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((t.month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(t.day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + Int64(t.hour * 3600 + t.minute * 60 + t.second)
    }

    static func le32(_ v: Int64) -> [UInt8] {
        let u = UInt32(truncatingIfNeeded: v)
        return [UInt8(u & 0xFF), UInt8((u >> 8) & 0xFF), UInt8((u >> 16) & 0xFF), UInt8(u >> 24)]
    }
}
