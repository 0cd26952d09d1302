/// A fact the device reported alongside a value. Kept as stable lowercase names, because they
/// are printed by `pocgate replay`, stored, and uploaded.
public enum ReadingFlag: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Measured before a meal (pre-prandial, "AC").
    case beforeMeal = "before-meal"
    /// Measured after a meal (post-prandial, "PC").
    case afterMeal = "after-meal"
    /// A control-solution test, not a patient sample.
    case controlSolution = "control-solution"
    /// Above the meter's measuring range: the value is a lower bound, not exact.
    case aboveRange = "hi"
    /// Below the meter's measuring range: the value is an upper bound, not exact.
    case belowRange = "lo"

    public static func < (a: ReadingFlag, b: ReadingFlag) -> Bool { a.rawValue < b.rawValue }
}
