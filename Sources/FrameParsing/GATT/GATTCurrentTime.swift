public import PocGateCore

/// The Current Time characteristic (0x2A2B; Current Time Service 1.1 / GATT Specification
/// Supplement "Current Time"): Exact Time 256 (Date Time, day of week uint8 with 1 Monday …
/// 7 Sunday and 0 unknown, fractions256 uint8) and adjust reason (uint8: bit 0 manual time
/// update, bit 1 external reference, bit 2 change of time zone, bit 3 change of DST). Read to
/// learn the device clock's offset from the gateway's; never written.
public struct GATTCurrentTime: Sendable, Hashable {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A2B
    static let name = "Current Time"

    public var dateTime: GATTDateTime
    public var dayOfWeek: UInt8
    /// 1/256 s.
    public var fractions256: UInt8
    public var adjustReason: UInt8
    /// The value as received.
    public var raw: [UInt8]

    /// Decodes the ten bytes; bytes after them are ignored.
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTCurrentTime {
        var r = GATTReader(bytes, characteristic: name)
        let t = try r.dateTime("date time")
        let dow = try r.u8("day of week")
        let fractions = try r.u8("fractions256")
        let reason = try r.u8("adjust reason")
        guard dow <= 7 else { throw .invalid(characteristic: name, why: "day of week \(dow) (1…7, 0 unknown)") }
        return GATTCurrentTime(dateTime: t, dayOfWeek: dow, fractions256: fractions, adjustReason: reason, raw: bytes)
    }

    /// Device clock minus `gatewayTime` (the gateway's wall clock in the zone the device is
    /// set to), in whole seconds; nil when the device's date is not known or not a real date.
    /// Positive: the device runs ahead.
    public func clockOffsetSeconds(gatewayTime: LocalDateTime) -> Int64? {
        guard let device = dateTime.localDateTime else { return nil }
        return device.secondsSinceEpoch - gatewayTime.secondsSinceEpoch
    }
}
