package import FrameParsing
package import PocGateCore

/// The TD-4277's answers to host frames: pure, no I/O, no clock of its own.
package struct TD4277Responder: Sendable {
    /// What the meter does with one valid host frame.
    package enum Outcome: Sendable, Equatable {
        /// Send these bytes back.
        case reply([UInt8])
        /// A command that would change the meter (clear memory, set clock): refused, not answered.
        case violation(command: UInt8)
        /// A command the emulator does not answer (unknown command, record index out of range).
        case unanswered
    }

    /// Clear memory: must never be honoured.
    package static let clearMemory: UInt8 = 0x52
    /// Set clock: must never be honoured.
    package static let setClock: UInt8 = 0x33

    /// Payload of the 0x28 reply (first half of the serial string).
    package let serialHigh: [UInt8]
    /// Payload of the 0x27 reply (second half of the serial string).
    package let serialLow: [UInt8]
    /// Memory, index 0 newest.
    package let records: [EmulatedRecord]

    /// Builds a responder; `serial` must be 16 hex digits.
    package init(serial: String, records: [EmulatedRecord]) throws(EmulatorError) {
        guard let halves = Self.serialPayloads(serial) else { throw .invalidSerial(serial) }
        guard records.count <= 0xFFFF else { throw .tooManyRecords(records.count) }
        for (index, record) in records.enumerated() {
            if let problem = record.encodingProblem { throw .invalidRecord(index: index, reason: problem) }
        }
        serialHigh = halves.high
        serialLow = halves.low
        self.records = records
    }

    /// The meter's answer to `frame` when its clock reads `now`.
    package func respond(to frame: TaiDocFrame, now: LocalDateTime) -> Outcome {
        switch frame.command {
        case Self.clearMemory, Self.setClock:
            return .violation(command: frame.command)
        case 0x22, 0x50:
            return reply(frame.command, [0, 0, 0, 0])
        case 0x24:
            return reply(0x24, [0x77, 0x42, 0, 0])
        case 0x27:
            return reply(0x27, serialLow)
        case 0x28:
            return reply(0x28, serialHigh)
        case 0x23:
            return reply(0x23, Self.dateTimePayload(now))
        case 0x2B:
            let count = records.count
            let tail: [UInt8] = count == 0 ? [0xFF, 0xFF] : [0, 0]
            return reply(0x2B, [UInt8(count & 0xFF), UInt8(count >> 8)] + tail)
        case 0x25:
            guard Int(frame.word01) < records.count else { return .unanswered }
            return reply(0x25, Self.dateTimePayload(records[Int(frame.word01)].time))
        case 0x26:
            guard Int(frame.word01) < records.count else { return .unanswered }
            let record = records[Int(frame.word01)]
            return reply(0x26, [UInt8(record.valueMgdL & 0xFF), UInt8(record.valueMgdL >> 8), 0, record.flags])
        default:
            return .unanswered
        }
    }

    private func reply(_ command: UInt8, _ payload: [UInt8]) -> Outcome {
        .reply(TaiDocFrame(command: command, payload: (payload[0], payload[1], payload[2], payload[3]), direction: .meterToHost).bytes)
    }

    /// `d0 d1` = LE word (year-2000 << 9 | month << 5 | day), `d2` = minute, `d3` = hour.
    package static func dateTimePayload(_ t: LocalDateTime) -> [UInt8] {
        let word = ((t.year - 2000) & 0x7F) << 9 | (t.month & 0x0F) << 5 | (t.day & 0x1F)
        return [UInt8(word & 0xFF), UInt8(word >> 8), UInt8(t.minute & 0x3F), UInt8(t.hour & 0x1F)]
    }

    /// The 0x28 and 0x27 payloads whose reversed hex, 0x28's first, spells `serial`.
    package static func serialPayloads(_ serial: String) -> (high: [UInt8], low: [UInt8])? {
        let digits = Array(serial.utf8)
        guard digits.count == 16 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 16, by: 2) {
            guard let hi = hexValue(digits[i]), let lo = hexValue(digits[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
        }
        return (Array(bytes[0..<4].reversed()), Array(bytes[4..<8].reversed()))
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
