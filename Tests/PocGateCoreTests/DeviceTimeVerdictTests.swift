import PocGateCore
import Testing

@Suite("Device time: correction and implausible clocks")
struct DeviceTimeVerdictTests {
    let policy = ClockPolicy()
    func t(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> LocalDateTime {
        LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi)
    }

    @Test("a meter clock 2 hours slow is corrected, so a reading is not charted 2 hours before it was taken")
    func skewBeyondToleranceIsCorrected() {
        let v = DeviceTimeVerdict(deviceTime: t(2024, 6, 15, 8, 30), deviceClock: t(2024, 6, 15, 10, 0),
                                  gatewayClock: t(2024, 6, 15, 12, 0), policy: policy)
        #expect(v.skewSeconds == 7_200 && v.corrected && v.hold == nil)
        #expect(v.correctedTime == t(2024, 6, 15, 10, 30))
    }

    @Test("a skew within 5 minutes is left alone: meters keep whole minutes and reading the clock takes time")
    func smallSkewIsNotCorrected() {
        let v = DeviceTimeVerdict(deviceTime: t(2024, 6, 15, 8, 30), deviceClock: t(2024, 6, 15, 11, 57),
                                  gatewayClock: t(2024, 6, 15, 12, 0), policy: policy)
        #expect(v.skewSeconds == 180 && !v.corrected && v.correctedTime == t(2024, 6, 15, 8, 30))
    }

    @Test("an unreadable device clock leaves the device time uncorrected rather than guessing")
    func unknownClock() {
        let v = DeviceTimeVerdict(deviceTime: t(2024, 6, 15, 8, 30), deviceClock: nil, gatewayClock: t(2024, 6, 15, 12), policy: policy)
        #expect(v.skewSeconds == nil && !v.corrected && v.hold == nil)
    }

    @Test("a meter clock reset to its epoch (TaiDoc 2000-01-01) holds the readings instead of sending them with a wrong date")
    func resetClockHolds() {
        let resetAtConnect = DeviceTimeVerdict(deviceTime: t(2024, 6, 15, 8, 30), deviceClock: t(2000, 1, 1, 0, 42),
                                               gatewayClock: t(2024, 6, 15, 12), policy: policy)
        #expect(resetAtConnect.hold == .clockReset)
        let readingOnEpoch = DeviceTimeVerdict(deviceTime: t(2000, 1, 1, 0, 5), deviceClock: t(2024, 6, 15, 12),
                                               gatewayClock: t(2024, 6, 15, 12), policy: policy)
        #expect(readingOnEpoch.hold == .clockReset)
    }

    @Test("a device time before the model existed (earliest_year) is held, not uploaded as a decade-old result")
    func beforeEarliestYearHolds() {
        let v = DeviceTimeVerdict(deviceTime: t(2005, 3, 1, 9), deviceClock: t(2024, 6, 15, 12),
                                  gatewayClock: t(2024, 6, 15, 12), policy: policy)
        #expect(v.hold == .beforeEarliestYear)
    }

    @Test("a time more than 24 h after the gateway's clock is held, never uploaded as a future result")
    func futureHolds() {
        let v = DeviceTimeVerdict(deviceTime: t(2024, 6, 17, 9), deviceClock: nil, gatewayClock: t(2024, 6, 15, 12), policy: policy)
        #expect(v.hold == .inFuture)
        let withinTolerance = DeviceTimeVerdict(deviceTime: t(2024, 6, 16, 9), deviceClock: nil,
                                                gatewayClock: t(2024, 6, 15, 12), policy: policy)
        #expect(withinTolerance.hold == nil)
    }

    @Test("a reading dated to the day by a meter 2 hours slow keeps its date: a skew would invent a time or move the day")
    func aDateOnlyReadingIsNotShiftedByClockSkew() {
        let v = DeviceTimeVerdict(deviceTime: t(2024, 6, 15), deviceClock: t(2024, 6, 15, 22, 0),
                                  gatewayClock: t(2024, 6, 16, 0, 0), policy: policy, dateOnly: true)
        #expect(v.skewSeconds == 7_200 && !v.corrected && v.hold == nil)
        #expect(v.correctedTime == t(2024, 6, 15))
    }

    @Test("a reading dated to a day after today or on the reset date is still held")
    func aDateOnlyReadingIsStillHeldWhenImplausible() {
        let future = DeviceTimeVerdict(deviceTime: t(2024, 6, 17), deviceClock: t(2024, 6, 15, 12), gatewayClock: t(2024, 6, 15, 12),
                                       policy: policy, dateOnly: true)
        #expect(future.hold == .inFuture)
        var reset = policy
        reset.resetDate = t(2000, 1, 1)
        let onReset = DeviceTimeVerdict(deviceTime: t(2000, 1, 1), deviceClock: nil, gatewayClock: t(2024, 6, 15, 12),
                                        policy: reset, dateOnly: true)
        #expect(onReset.hold == .clockReset)
    }
}
