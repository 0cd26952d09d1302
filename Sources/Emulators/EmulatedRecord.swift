public import PocGateCore

/// One glucose measurement in an emulated TD-4277's memory.
public struct EmulatedRecord: Sendable, Hashable {
    /// `flags` value for a measurement with no meal mark.
    public static let noMealMark: UInt8 = 0x00
    /// `flags` value for a measurement marked "before meal".
    public static let beforeMeal: UInt8 = 0x40
    /// `flags` value for a measurement marked "after meal".
    public static let afterMeal: UInt8 = 0x80

    /// The meter's time stamp (minute resolution; seconds are not sent).
    public var time: LocalDateTime
    /// The value in mg/dL, as the meter stores it (0...65535).
    public var valueMgdL: Int
    /// Byte d3 of the 0x26 reply: 0x00 none, 0x40 before meal, 0x80 after meal.
    public var flags: UInt8

    /// A record; `flags` defaults to no meal mark.
    public init(time: LocalDateTime, valueMgdL: Int, flags: UInt8 = EmulatedRecord.noMealMark) {
        self.time = time
        self.valueMgdL = valueMgdL
        self.flags = flags
    }

    /// Why this record cannot be sent in the TD-4277 format, or nil when it can.
    package var encodingProblem: String? {
        if !time.isValid { return "time \(time) is not a real date and time" }
        if !(2000...2127).contains(time.year) { return "year \(time.year) is outside 2000...2127, the meter's 7-bit year range" }
        if !(0...0xFFFF).contains(valueMgdL) { return "value \(valueMgdL) mg/dL does not fit the meter's 16-bit field" }
        return nil
    }
}
