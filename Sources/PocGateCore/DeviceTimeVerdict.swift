/// What the gateway makes of one reading's device time: the time to upload, or why it is held.
public struct DeviceTimeVerdict: Sendable, Hashable {
    /// The device time corrected by the clock skew measured at connect (or the device time when
    /// the skew is within tolerance or unknown), in the meters' zone.
    public var correctedTime: LocalDateTime
    /// Gateway clock − device clock at connect, seconds; nil when the device clock was unreadable.
    public var skewSeconds: Int64?
    /// Whether `correctedTime` differs from the device time (skew beyond tolerance).
    public var corrected: Bool
    /// Why the reading must not be uploaded; nil when its time is plausible.
    public var hold: ClockHold?

    /// Judges `deviceTime` given the device clock and the gateway clock (both wall time in the
    /// meters' zone) read at connect. Rule (docs/CODES.md, "Device time"):
    /// 1. a device clock at connect on the reset date or before `earliestYear` → every reading
    ///    of the session is held `clock-reset` (a correction from a reset clock is meaningless);
    /// 2. the skew is applied when it exceeds `skewToleranceSeconds`;
    /// 3. a device time on the reset date → `clock-reset`; before `earliestYear` →
    ///    `before-earliest-year`; a corrected time beyond gateway time + `futureToleranceSeconds`
    ///    → `in-future`.
    ///
    /// A `dateOnly` device time (the device sent a year, month or day without a time of day) is
    /// never corrected: moving a date by a skew of seconds or hours would invent a time of day
    /// or change the day the device recorded. It is uploaded as the date sent and is held by the
    /// same rules, judged at the start of that date.
    public init(deviceTime: LocalDateTime, deviceClock: LocalDateTime?, gatewayClock: LocalDateTime, policy: ClockPolicy,
                dateOnly: Bool = false) {
        let skew = deviceClock.map { gatewayClock.secondsSinceEpoch - $0.secondsSinceEpoch }
        self.skewSeconds = skew
        let apply = !dateOnly && (skew.map { abs($0) > policy.skewToleranceSeconds } ?? false)
        self.corrected = apply
        self.correctedTime = apply ? LocalDateTime(secondsSinceEpoch: deviceTime.secondsSinceEpoch + skew!) : deviceTime
        func onResetDate(_ t: LocalDateTime) -> Bool {
            guard let reset = policy.resetDate else { return false }
            return t.year == reset.year && t.month == reset.month && t.day == reset.day
        }
        if let clock = deviceClock, onResetDate(clock) || clock.year < policy.earliestYear {
            hold = .clockReset
        } else if onResetDate(deviceTime) {
            hold = .clockReset
        } else if deviceTime.year < policy.earliestYear || correctedTime.year < policy.earliestYear {
            hold = .beforeEarliestYear
        } else if correctedTime.secondsSinceEpoch > gatewayClock.secondsSinceEpoch + policy.futureToleranceSeconds {
            hold = .inFuture
        } else {
            hold = nil
        }
    }
}
