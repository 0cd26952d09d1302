/// Why a reading's time cannot be trusted: the reading is stored but held back from upload
/// rather than sent with a wrong date. The raw values are stored and shown by `pocgate queue`.
public enum ClockHold: String, Sendable, Hashable, Codable, CaseIterable {
    /// The device time is before the device model existed (`earliest_year`).
    case beforeEarliestYear = "before-earliest-year"
    /// The (corrected) time is later than the gateway's clock plus the future tolerance.
    case inFuture = "in-future"
    /// The device time, or the device clock at connect, is on the device's reset date:
    /// the clock was reset and the times mean nothing.
    case clockReset = "clock-reset"
}
