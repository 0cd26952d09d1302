import Foundation
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// `Observation.effectiveDateTime` keeps the precision the device wrote (FHIR R4 dateTime:
/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` without a zone, or a time with seconds, an optional
/// fraction and a zone); every Bundle validated with fhir.resources R4B.
@Suite("Uplink: device time precision in FHIR")
struct FHIRTimePrecisionTests {
    static func effective(_ precision: DeviceTimePrecision?, offset: Int? = nil,
                          time: LocalDateTime = LocalDateTime(year: 2024, month: 3, day: 1, hour: 0, minute: 30, second: 5),
                          correctedTime: LocalDateTime? = nil) throws -> (String?, [UInt8]) {
        var r = FHIRStandardMeaningTests.reading(code: "2339-0", value: "98", unit: "mg/dL")
        r.deviceTime = time
        r.timePrecision = precision
        r.utcOffsetSeconds = offset
        let row = StoredReading(id: 1, reading: r, receivedAtMillis: 1_718_411_400_000, attempts: 0, correctedTime: correctedTime)
        let body = FHIRMapper(settings: UplinkSettings(url: "https://center.example/fhir"),
                              zone: ZoneInfo.named("Asia/Shanghai")!).bundle(for: [row]).body
        let obs = try #require(try FHIRClinicalTests.observations(body).first)
        return (obs["effectiveDateTime"] as? String, body)
    }

    @Test func aReadingDatedToTheDayIsUploadedAsThatDateNotAsMidnightInTheGatewaysZone() throws {
        let day = LocalDateTime(year: 2024, month: 3, day: 1)
        let (text, body) = try Self.effective(.day, time: day)
        #expect(text == "2024-03-01")
        let (month, monthBody) = try Self.effective(.month, time: day)
        #expect(month == "2024-03")
        let (year, yearBody) = try Self.effective(.year, time: LocalDateTime(year: 2024, month: 1, day: 1))
        #expect(year == "2024")
        try FHIRClinicalTests.validate(batch: [body, monthBody, yearBody])
    }

    @Test func fractionsOfASecondAreUploadedAsSentWithTheZone() throws {
        let (sent, body) = try Self.effective(.fraction("1234"), offset: 0)
        #expect(sent == "2024-03-01T00:30:05.1234+00:00")
        let (local, localBody) = try Self.effective(.fraction("5"))
        #expect(local == "2024-03-01T00:30:05.5+08:00", "no offset sent: the configured zone")
        try FHIRClinicalTests.validate(batch: [body, localBody])
    }

    @Test func aTimeToTheMinuteIsUploadedWithZeroSecondsAsFHIRRequires() throws {
        let (text, body) = try Self.effective(nil, time: LocalDateTime(year: 2024, month: 3, day: 1, hour: 8, minute: 30))
        #expect(text == "2024-03-01T08:30:00+08:00")
        try FHIRClinicalTests.validate(body)
    }

    @Test func aDateIsUploadedAsSentEvenIfACorrectedTimeWasStored() throws {
        // The uplink never moves a date the device sent, whatever corrected time a row holds.
        let (text, _) = try Self.effective(.day, time: LocalDateTime(year: 2024, month: 3, day: 1),
                                           correctedTime: LocalDateTime(year: 2024, month: 2, day: 29, hour: 22))
        #expect(text == "2024-03-01")
    }
}
