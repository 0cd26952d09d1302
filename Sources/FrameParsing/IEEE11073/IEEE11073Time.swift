public import PocGateCore

/// An AbsoluteTime of IEEE 11073-20601: eight BCD bytes, century, year, month, day, hour,
/// minute, second, hundredths of a second. The device's clock, with no zone.
public struct IEEE11073Time: Sendable, Hashable, CustomStringConvertible {
    /// The time to the second (`LocalDateTime` has no fractions).
    public var dateTime: LocalDateTime
    /// Hundredths of a second, 0…99: kept for the record key.
    public var hundredths: Int

    /// Decodes eight BCD bytes; nil when a byte is not two decimal digits or the date is not
    /// a real calendar date and time of day.
    public init?(bcd b: [UInt8]) {
        guard b.count == 8 else { return nil }
        var digits: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &digits) { raw in
            let d = raw.bindMemory(to: Int.self)
            for (i, byte) in b.enumerated() {
                let high = Int(byte >> 4), low = Int(byte & 0x0F)
                guard high <= 9, low <= 9 else { return false }
                d[i] = high * 10 + low
            }
            return true
        }
        guard valid else { return nil }
        let (d0, d1, d2, d3, d4, d5, d6, d7) = digits
        let t = LocalDateTime(year: d0 * 100 + d1, month: d2, day: d3, hour: d4, minute: d5, second: d6)
        guard t.isValid else { return nil }
        dateTime = t
        hundredths = d7
    }

    /// The ISO text with hundredths: `2010-07-21T15:35:53.00`.
    public var description: String {
        dateTime.description + "." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }
}
