import PocGateCore
import Testing

@Suite("Device time precision")
struct DeviceTimePrecisionTests {
    @Test func theStoredTextReadsBackAndAnythingElseIsRefused() {
        for p: DeviceTimePrecision in [.year, .month, .day, .fraction("5"), .fraction("0250")] {
            #expect(DeviceTimePrecision(storeText: p.storeText) == p)
        }
        for text in ["", "days", ".", ".12345", ".1a", "1234"] {
            #expect(DeviceTimePrecision(storeText: text) == nil, "\(text)")
        }
    }

    @Test func aDateIsWrittenWithTheFieldsSentOnly() {
        let t = LocalDateTime(year: 2024, month: 3, day: 1, hour: 0, minute: 30, second: 5)
        #expect(DeviceTimePrecision.year.text(t) == "2024")
        #expect(DeviceTimePrecision.month.text(t) == "2024-03")
        #expect(DeviceTimePrecision.day.text(t) == "2024-03-01")
        #expect(DeviceTimePrecision.fraction("12").text(t) == "2024-03-01T00:30:05.12")
        #expect(DeviceTimePrecision.day.isDateOnly && !DeviceTimePrecision.fraction("1").isDateOnly)
    }
}
