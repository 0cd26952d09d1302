/// A fact the device reported alongside a value. Kept as stable lowercase names, because they
/// are printed by `pocgate replay`, stored, and uploaded.
public enum ReadingFlag: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Measured before a meal (pre-prandial, "AC").
    case beforeMeal = "before-meal"
    /// Measured after a meal (post-prandial, "PC").
    case afterMeal = "after-meal"
    /// Fasting (before breakfast, at least 8 hours without food).
    case fasting
    /// At bedtime.
    case bedtime
    /// A control-solution test, not a patient sample.
    case controlSolution = "control-solution"
    /// Above the meter's measuring range: the value is a lower bound, not exact.
    case aboveRange = "hi"
    /// Below the meter's measuring range: the value is an upper bound, not exact.
    case belowRange = "lo"

    /// Above the laboratory reference range (an ASTM/HL7 abnormal flag H); the value is exact.
    case abnormalHigh = "abnormal-high"
    /// Below the laboratory reference range (an ASTM/HL7 abnormal flag L); the value is exact.
    case abnormalLow = "abnormal-low"
    /// The blood-pressure monitor detected an irregular heartbeat during the measurement.
    case irregularHeartbeat = "irregular-heartbeat"

    // Comments a patient attached to a reading on the meter (OneTouch Ultra 2 codes 01…11).
    /// "Not enough food".
    case notEnoughFood = "not-enough-food"
    /// "Too much food".
    case tooMuchFood = "too-much-food"
    /// "Mild exercise".
    case mildExercise = "mild-exercise"
    /// "Hard exercise".
    case hardExercise = "hard-exercise"
    /// "Medication".
    case medication
    /// "Stress".
    case stress
    /// "Illness".
    case illness
    /// "Feel hypo": the patient felt hypoglycaemic.
    case feelHypo = "feel-hypo"
    /// "Menses".
    case menses
    /// "Vacation".
    case vacation
    /// "Other" comment.
    case otherComment = "other-comment"

    public static func < (a: ReadingFlag, b: ReadingFlag) -> Bool { a.rawValue < b.rawValue }
}
