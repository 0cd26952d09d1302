public import PocGateCore

/// Decoding of TaiDoc payload fields (all facts from the public TD-42xx documentation).
public enum TaiDocPayload {
    /// The 4-byte date/time: d0 d1 = LE word (bits 15..9 year-2000, 8..5 month, 4..0 day),
    /// d2 = minute, d3 = hour. The upper bits of minute and hour are not part of the time: in a
    /// record's time reply they are the record's type and flags (`TimeFlags`). Returns nil when
    /// the fields are not a real date.
    public static func dateTime(_ p: (UInt8, UInt8, UInt8, UInt8)) -> LocalDateTime? {
        let word = UInt16(p.0) | UInt16(p.1) << 8
        let t = LocalDateTime(year: 2000 + Int(word >> 9), month: Int((word >> 5) & 0x0F), day: Int(word & 0x1F),
                              hour: Int(p.3 & 0x1F), minute: Int(p.2 & 0x3F))
        return t.isValid ? t : nil
    }

    /// The flag bits of a record's time reply (FORA's notes for its D40 2-in-1, MD6 and IR42).
    public struct TimeFlags: Sendable, Equatable {
        /// `d2` bit 7: the record is a blood-pressure record (0: the model's other layout).
        public var bloodPressure: Bool
        /// `d2` bit 6 (arrhythmia) or `d3` bits 6..5 (irregular-heartbeat kind) non-zero.
        public var irregularHeartbeat: Bool
        /// `d3` bit 7: the record is an average of several measurements.
        public var averaged: Bool

        public init(d2: UInt8, d3: UInt8) {
            bloodPressure = d2 & 0x80 != 0
            irregularHeartbeat = d2 & 0x40 != 0 || d3 & 0x60 != 0
            averaged = d3 & 0x80 != 0
        }
    }

    /// The body-temperature range (tenths of °C) a thermometer record is accepted in; outside
    /// it the value is another mode (object, room) or a fault, kept as a problem.
    public static let bodyTemperatureTenths: ClosedRange<Int64> = 250...450

    /// The model number: d0 d1 as BCD little-endian (`77 42` → "4277").
    public static func model(_ p: (UInt8, UInt8, UInt8, UInt8)) -> String {
        func hex2(_ b: UInt8) -> String {
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }
        return hex2(p.1) + hex2(p.0)
    }

    /// The serial number: hex of the 0x28 payload reversed, then hex of the 0x27 payload reversed.
    public static func serial(high: (UInt8, UInt8, UInt8, UInt8), low: (UInt8, UInt8, UInt8, UInt8)) -> String {
        func hex2(_ b: UInt8) -> String {
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }
        return [high.3, high.2, high.1, high.0, low.3, low.2, low.1, low.0].map(hex2).joined()
    }

    /// What byte d3 of a value reply says about the measurement.
    public struct ValueInfo: Sendable, Equatable {
        /// The raw value, d0 d1 little-endian.
        public var raw: UInt16
        /// d3 bits 7..6: 0 none, 1 before meal, 2 after meal, 3 control solution.
        public var context: UInt8
        /// d3 bits 5..2: 0 glucose; 6 HCT, 7 ketone, 8 uric acid, 9 cholesterol, 11 Hb (MD6).
        public var analyte: UInt8
        /// The whole flag byte, kept for the record key.
        public var flagByte: UInt8
    }

    /// Splits a 0x26 value reply.
    public static func value(_ p: (UInt8, UInt8, UInt8, UInt8)) -> ValueInfo {
        ValueInfo(raw: UInt16(p.0) | UInt16(p.1) << 8, context: p.3 >> 6, analyte: (p.3 >> 2) & 0x0F, flagByte: p.3)
    }

    /// Glucose above this (mg/dL) is shown by the meter as "HI" (Tidepool's TaiDoc driver).
    public static let glucoseHighLimit: UInt16 = 600
    /// Glucose below this (mg/dL) is shown by the meter as "LO".
    public static let glucoseLowLimit: UInt16 = 20

    /// The reading flags a glucose value reply carries, sorted (a shared array: no allocation
    /// per reading).
    public static func flags(_ info: ValueInfo) -> [ReadingFlag] {
        let range = info.raw > glucoseHighLimit ? 1 : info.raw < glucoseLowLimit ? 2 : 0
        return flagSets[Int(info.context & 3) * 3 + range]
    }

    /// `[.controlSolution]`, shared by the analyte readings of a control-solution test.
    static let controlSolutionFlags: [ReadingFlag] = [.controlSolution]
    /// `[.irregularHeartbeat]`, shared by a blood-pressure panel and its pulse.
    static let irregularHeartbeatFlags: [ReadingFlag] = [.irregularHeartbeat]

    /// Every sorted flag set of a glucose value reply, at context × 3 + range (0 within the
    /// meter's range, 1 above it, 2 below it).
    private static let flagSets: [[ReadingFlag]] = (0..<12).map { i in
        var flags: [ReadingFlag] = []
        switch i / 3 {
        case 1: flags.append(.beforeMeal)
        case 2: flags.append(.afterMeal)
        case 3: flags.append(.controlSolution)
        default: break
        }
        if i % 3 == 1 { flags.append(.aboveRange) }
        if i % 3 == 2 { flags.append(.belowRange) }
        return flags.sorted()
    }
}
