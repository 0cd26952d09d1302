public import PocGateCore

/// The Date Time characteristic (0x2A08) and the field of that format inside measurements
/// (GATT Specification Supplement, "Date Time"): year uint16 LE (1582…9999, 0 = not known),
/// month (1…12, 0 = not known), day (1…31, 0 = not known), hours, minutes, seconds. The
/// device's wall clock, with no zone.
public struct GATTDateTime: Sendable, Hashable, CustomStringConvertible {
    /// The field's length in bytes.
    public static let length = 7
    public var year: Int
    public var month: Int
    public var day: Int
    public var hours: Int
    public var minutes: Int
    public var seconds: Int

    /// Splits seven bytes; nil for any other length.
    public init?(_ b: [UInt8]) {
        guard b.count == Self.length else { return nil }
        year = Int(b[0]) | Int(b[1]) << 8
        month = Int(b[2])
        day = Int(b[3])
        hours = Int(b[4])
        minutes = Int(b[5])
        seconds = Int(b[6])
    }

    /// Decodes the Date Time characteristic's value (exactly seven bytes).
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTDateTime {
        guard let t = GATTDateTime(bytes) else {
            if bytes.count < length { throw .truncated(characteristic: "Date Time", field: "date and time", length: bytes.count) }
            throw .invalid(characteristic: "Date Time", why: "\(bytes.count) bytes, the characteristic has 7")
        }
        return t
    }

    /// The time as a calendar date and time of day; nil when the year, month or day is 0 (not
    /// known) or the fields do not form a real date and time.
    public var localDateTime: LocalDateTime? {
        guard year >= 1582, year <= 9999, month != 0, day != 0 else { return nil }
        let t = LocalDateTime(year: year, month: month, day: day, hour: hours, minute: minutes, second: seconds)
        return t.isValid ? t : nil
    }

    /// The fields as sent, for problem texts and record keys: `2026-12-07T05:39:00`, with
    /// zeros where the device sent them.
    public var description: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + two(month) + "-" + two(day) + "T"
            + two(hours) + ":" + two(minutes) + ":" + two(seconds)
    }
}
