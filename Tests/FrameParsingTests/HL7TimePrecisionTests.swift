import FrameParsing
import PocGateCore
import Testing

/// HL7 v2.5.1 chapter 2A DTM `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`: a result time
/// keeps the precision the device sent (C: messages built from the public segment layout).
@Suite struct HL7TimePrecisionTests {
    static func readings(obx14: String) throws -> HL7ORU {
        try HL7StandardMeaningTests.oru(["OBR|1", "OBX|1|NM|2339-0^Glucose Bld^LN||98|mg/dL|||||F|||\(obx14)"])
    }

    @Test func aResultTimedToTheDayIsStoredAsThatDateNotRefusedAndLost() throws {
        let oru = try Self.readings(obx14: "20240301")
        #expect(oru.problems.isEmpty)
        #expect(oru.readings.map(\.deviceTime) == [LocalDateTime(year: 2024, month: 3, day: 1)])
        #expect(oru.readings.map(\.timePrecision) == [.day])
        let withZone = try Self.readings(obx14: "20240301+0800").readings
        #expect(withZone.map(\.timePrecision) == [.day])
        #expect(withZone.map(\.utcOffsetSeconds) == [nil], "a date has no zone: the offset is not kept")
    }

    @Test func aResultTimedToTheMonthOrYearKeepsThatPrecisionNotAnInventedDay() throws {
        #expect(HL7Timestamp.parseZoned("202403") == HL7Timestamp.Zoned(local: LocalDateTime(year: 2024, month: 3, day: 1), precision: .month))
        #expect(HL7Timestamp.parseZoned("2024") == HL7Timestamp.Zoned(local: LocalDateTime(year: 2024, month: 1, day: 1), precision: .year))
        #expect(try Self.readings(obx14: "202403").readings.map(\.timePrecision) == [.month])
    }

    @Test func fractionsOfASecondAreKeptAsSentNotDropped() throws {
        let r = try Self.readings(obx14: "20240301003005.1234+0000").readings
        #expect(r.map(\.deviceTime) == [LocalDateTime(year: 2024, month: 3, day: 1, hour: 0, minute: 30, second: 5)])
        #expect(r.map(\.timePrecision) == [.fraction("1234")])
        #expect(r.map(\.utcOffsetSeconds) == [0])
        #expect(HL7Timestamp.parseZoned("20240301003005.5")?.precision == .fraction("5"))
    }

    @Test func aTimeToTheHourOrMinuteReadsTheMissingPartsAsZero() {
        #expect(HL7Timestamp.parseZoned("2024030108-0500") == HL7Timestamp.Zoned(
            local: LocalDateTime(year: 2024, month: 3, day: 1, hour: 8), utcOffsetSeconds: -18_000))
        #expect(HL7Timestamp.parseZoned("202403010830")?.precision == nil)
    }

    @Test func aDTMThatIsNotOneOfTheStandardsLengthsIsRefused() {
        for text in ["", "202", "20240", "2024030", "202403010", "20240301083", "2024030108300",
                     "20240301.5", "202403010830.5", "20240301083000.", "20240301083000.12345",
                     "202413", "20240230", "2024030124", "20240301+08", "2024-03-01"] {
            #expect(HL7Timestamp.parseZoned(text) == nil, "\(text)")
        }
    }
}
