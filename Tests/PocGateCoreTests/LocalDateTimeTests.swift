import Testing
import PocGateCore

@Suite struct LocalDateTimeTests {
    @Test func formatsISO() {
        #expect(LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30).description == "2024-06-15T08:30:00")
    }

    @Test func epochArithmeticRoundTrips() {
        for t: Int64 in [0, 86_399, 951_782_400, 1_718_440_200, -86_400, 4_102_444_799] {
            #expect(LocalDateTime(secondsSinceEpoch: t).secondsSinceEpoch == t)
        }
        #expect(LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30).secondsSinceEpoch == 1_718_440_200)
    }

    @Test func validatesCalendar() {
        #expect(LocalDateTime(year: 2024, month: 2, day: 29).isValid)
        #expect(!LocalDateTime(year: 2023, month: 2, day: 29).isValid)
        #expect(!LocalDateTime(year: 2023, month: 13, day: 1).isValid)
        #expect(LocalDateTime(iso: "2024-06-15T08:30:00") == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(LocalDateTime(iso: "2024-06-31T08:30:00") == nil)
    }
}
