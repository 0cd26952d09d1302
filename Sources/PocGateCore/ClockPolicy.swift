/// The limits a device time must keep to be uploaded, and the skew beyond which it is corrected.
public struct ClockPolicy: Sendable, Hashable {
    /// A device time before 1 January of this year predates the device model: implausible.
    public var earliestYear: Int
    /// A (corrected) time more than this many seconds after the gateway's clock is implausible.
    public var futureToleranceSeconds: Int64
    /// A device clock off by more than this many seconds is corrected (and the skew logged);
    /// within it the device time is used as is (meters keep whole minutes).
    public var skewToleranceSeconds: Int64
    /// The date a device's clock returns to after a reset (battery change), e.g. 2000-01-01 for TaiDoc.
    public var resetDate: LocalDateTime?

    public init(earliestYear: Int = 2010, futureToleranceSeconds: Int64 = 86_400, skewToleranceSeconds: Int64 = 300,
                resetDate: LocalDateTime? = LocalDateTime(year: 2000, month: 1, day: 1)) {
        self.earliestYear = earliestYear
        self.futureToleranceSeconds = futureToleranceSeconds
        self.skewToleranceSeconds = skewToleranceSeconds
        self.resetDate = resetDate
    }
}
