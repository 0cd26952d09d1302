/// How a converted value is rounded to the number of decimals the receiver wants.
public enum DecimalRounding: Sendable, Hashable {
    /// To the nearest; a tie goes to the even neighbour (banker's rounding, IEEE 754's default),
    /// so ties do not drift up or down on average. Used for exact measured values.
    case halfEven
    /// Towards −∞. Used for the bound of a "greater than" result, so `> bound` stays true.
    case floor
    /// Towards +∞. Used for the bound of a "less than" result, so `< bound` stays true.
    case ceiling
}
