import Testing
import FrameParsing
import PocGateCore

/// Glucose Measurement (0x2A18) and its context (0x2A34): real meters' values and vectors
/// built from the text of the GATT Specification Supplement (sections "Glucose Measurement",
/// "Glucose Measurement Context", "Date Time") and Glucose Service 1.0.
@Suite struct GATTGlucoseTests {
    static func bytes(_ hex: String) -> [UInt8] { Hex.parse(hex)! }
    static func reading(_ hex: String, context: String? = nil) throws -> Result<Reading, GATTReadingProblem> {
        let record = try GATTGlucoseRecord.decode(bytes(hex))
        let c = try context.map { try GATTGlucoseContext.decode(bytes($0)) }
        return record.reading(context: c, profileID: "gls", serial: "SN1", model: "Meter")
    }

    /// An Accu-Chek Guide's notification as published with its display (6.2 mmol/L): kg/L
    /// SFLOAT 0xB06F = 111 × 10⁻⁵ kg/L = 111 mg/dL (6.16 mmol/L), type 8 / location 15 (high
    /// nibble), and the user-facing time is the base time plus 339 minutes.
    @Test func accuChekGuideNotificationDecodesToTheMetersValue() throws {
        let r = try GATTGlucoseRecord.decode(Self.bytes("1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00"))
        #expect(r.sequenceNumber == 15)
        #expect(r.baseTime.localDateTime == LocalDateTime(year: 2024, month: 1, day: 30, hour: 5, minute: 58, second: 27))
        #expect(r.timeOffsetMinutes == 339)
        #expect(r.userFacingTime == LocalDateTime(year: 2024, month: 1, day: 30, hour: 11, minute: 37, second: 27))
        #expect(r.concentration?.type == 8)
        #expect(r.concentration?.sampleLocation == 15)
        #expect(r.sensorStatus == 0)
        #expect(r.contextFollows)
        let reading = try Self.reading("1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00").get()
        #expect(reading.value == ExactDecimal(111))
        #expect(reading.unit == "mg/dL")
        #expect(reading.code == "41653-7")
        #expect(reading.kind == .glucose)
        #expect(reading.deviceTime == LocalDateTime(year: 2024, month: 1, day: 30, hour: 11, minute: 37, second: 27))
        #expect(reading.flags.isEmpty)
        #expect(reading.valueHold == nil)
    }

    /// A meter's value published with its display (120): SFLOAT 0xB078 kg/L, capillary whole
    /// blood (type 1, the low nibble), location not available.
    @Test func publishedMeterValueWithZeroOffsetIs120MgPerDL() throws {
        let reading = try Self.reading("03 06 00 E4 07 04 0D 10 26 0A 00 00 78 B0 F1").get()
        #expect(reading.value == ExactDecimal(120))
        #expect(reading.code == "41653-7")
        #expect(reading.deviceTime == LocalDateTime(year: 2020, month: 4, day: 13, hour: 16, minute: 38, second: 10))
        #expect(reading.recordKey == "gls|6|2020-04-13T16:38:10")
    }

    /// Supplement, "Glucose Measurement": flag bit 2 selects mol/L; 56 × 10⁻⁴ mol/L is 5.6 mmol/L.
    @Test func molarConcentrationBecomesMillimolesPerLitre() throws {
        let reading = try Self.reading("06 02 01 EA 07 0C 07 08 1E 00 38 C0 11").get()
        #expect(reading.value == ExactDecimal(parsing: "5.6")!)
        #expect(reading.unit == "mmol/L")
        #expect(reading.code == "14743-9")
        #expect(reading.recordKey == "gls|258|2026-12-07T08:30:00")
    }

    /// The time offset is signed: −30 minutes from 00:10 on New Year's Day is the old year.
    @Test func negativeTimeOffsetCrossesMidnightAndYear() throws {
        let reading = try Self.reading("03 07 00 EA 07 01 01 00 0A 00 E2 FF 64 B0 11").get()
        #expect(reading.deviceTime == LocalDateTime(year: 2025, month: 12, day: 31, hour: 23, minute: 40, second: 0))
        #expect(reading.value == ExactDecimal(100))
    }

    /// The type is the LOW nibble: 0x1A is control solution (10) at the finger, 0xA1 would be
    /// capillary whole blood at a reserved location. Control solution is kept and flagged.
    @Test func controlSolutionTypeInTheLowNibbleIsFlagged() throws {
        let control = try Self.reading("02 09 00 EA 07 0C 07 08 1E 00 64 B0 1A").get()
        #expect(control.flags == [.controlSolution])
        let location = try Self.reading("02 0A 00 EA 07 0C 07 08 1E 00 64 B0 41").get()
        #expect(location.flags == [.controlSolution])
        let blood = try Self.reading("02 0B 00 EA 07 0C 07 08 1E 00 64 B0 A1").get()
        #expect(blood.flags.isEmpty)
        #expect(blood.code == "41653-7")
    }

    /// Each fluid type's LOINC code: venous/arterial whole blood "in Blood", plasma "in Serum or
    /// Plasma", interstitial fluid and reserved types refused.
    @Test func fluidTypesPickTheirCodesOrAreRefused() throws {
        let expected: [(UInt8, String?)] = [(1, "41653-7"), (2, "41653-7"), (3, "2339-0"), (4, "2345-7"), (5, "2339-0"),
                                            (6, "2345-7"), (7, "41653-7"), (8, "41653-7"), (9, nil), (0, nil), (11, nil), (15, nil)]
        for (type, code) in expected {
            var value = Self.bytes("02 0C 00 EA 07 0C 07 08 1E 00 64 B0 00")
            value[12] = 0x10 | type
            let result = try GATTGlucoseRecord.decode(value).reading(profileID: "gls", serial: "S", model: "M")
            switch (result, code) {
            case let (.success(r), code?): #expect(r.code == code, "type \(type)")
            case (.failure(.unsupportedSampleType(type)), nil): break
            default: Issue.record("type \(type): \(result)")
            }
        }
    }

    /// Sensor status annunciation: result above / below what the device can process become the
    /// HI / LO flags; a sensor malfunction or strip error holds the value for review.
    @Test func sensorStatusGivesRangeFlagsAndHolds() throws {
        let high = try Self.reading("0A 08 00 EA 07 0C 07 08 1E 00 59 B2 11 20 00").get()
        #expect(high.flags == [.aboveRange])
        #expect(high.value == ExactDecimal(601))
        #expect(high.valueHold == nil)
        let low = try Self.reading("0A 08 00 EA 07 0C 07 08 1E 00 0A B0 11 40 00").get()
        #expect(low.flags == [.belowRange])
        let fault = try Self.reading("0A 08 00 EA 07 0C 07 08 1E 00 64 B0 11 02 00").get()
        #expect(fault.valueHold == .deviceWarning)
        let battery = try Self.reading("0A 08 00 EA 07 0C 07 08 1E 00 64 B0 11 01 00").get()
        #expect(battery.valueHold == nil)
    }

    /// SFLOAT NaN (0x07FF) and the other specials never become a number (never 2047).
    @Test func specialConcentrationValuesAreNeverReadings() throws {
        for special in ["FF 07", "00 08", "FE 07", "02 08", "01 08"] {
            let result = try Self.reading("02 0D 00 EA 07 0C 07 08 1E 00 \(special) 11")
            guard case .failure(.notAReading) = result else { Issue.record("\(special): \(result)"); continue }
        }
        guard case .failure(.noValue) = try Self.reading("00 0E 00 EA 07 0C 07 08 1E 00") else { Issue.record("no concentration"); return }
    }

    /// Date Time: year 0 or month 0 means "not known": no reading, no invented date.
    @Test func unknownBaseTimeIsRefused() throws {
        guard case .failure(.noTime) = try Self.reading("02 0F 00 00 00 0C 07 08 1E 00 64 B0 11") else { Issue.record("year 0"); return }
        guard case .failure(.noTime) = try Self.reading("02 0F 00 EA 07 00 07 08 1E 00 64 B0 11") else { Issue.record("month 0"); return }
        guard case .failure(.noTime) = try Self.reading("02 0F 00 EA 07 02 1E 08 1E 00 64 B0 11") else { Issue.record("30 February"); return }
    }

    /// Supplement, "Glucose Measurement Context": meal and tester-health (tester low nibble,
    /// health high nibble) become the project's flags on the measurement with that sequence
    /// number; a context of another sequence number is refused.
    @Test func contextMealAndHealthBecomeFlags() throws {
        let context = try GATTGlucoseContext.decode(Self.bytes("06 0F 00 01 41"))
        #expect(context.meal == GATTGlucoseContext.Meal.preprandial)
        #expect(context.tester == 1)
        #expect(context.health == GATTGlucoseContext.Health.stress)
        let reading = try Self.reading("1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00", context: "06 0F 00 01 41").get()
        #expect(reading.flags == [.beforeMeal, .stress])
        #expect(reading.recordKey == "gls|15|2024-01-30T05:58:27")
        let mismatch = try Self.reading("1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00", context: "06 10 00 01 41")
        #expect(mismatch == .failure(.contextMismatch(measurement: 15, context: 16)))
        for (meal, flag) in [(2, ReadingFlag.afterMeal), (3, .fasting), (5, .bedtime)] {
            #expect(try GATTGlucoseContext.decode([0x02, 0x01, 0x00, UInt8(meal)]).readingFlags == [flag])
        }
        #expect(try GATTGlucoseContext.decode([0x02, 0x01, 0x00, 4]).readingFlags.isEmpty)   // casual
    }

    /// Every context field in the Supplement's order: extended flags, carbohydrate, meal,
    /// tester-health, exercise, medication, HbA1c.
    @Test func contextWithEveryFieldDecodesInOrder() throws {
        let c = try GATTGlucoseContext.decode(Self.bytes("DF 10 00 00 01 32 D0 02 52 10 0E 32 01 05 A0 41 F0"))
        #expect(c.sequenceNumber == 16)
        #expect(c.extendedFlags == 0)
        #expect(c.carbohydrate?.id == 1)
        #expect(c.carbohydrate?.value == .value(ExactDecimal(parsing: "0.050")!))
        #expect(c.meal == 2)
        #expect(c.tester == 2)
        #expect(c.health == 5)
        #expect(c.exerciseDurationSeconds == 3600)
        #expect(c.exerciseIntensityPercent == 50)
        #expect(c.medication?.id == 1)
        #expect(!c.medicationInLitres)
        #expect(c.hbA1cSFLOAT.map(IEEE11073Number.sfloat) == .value(ExactDecimal(parsing: "6.5")!))
        #expect(c.readingFlags == [.afterMeal])
    }

    /// BlueZ hands the same value over more than once (a read, each subscriber, a record
    /// reported again): the same record key every time, whatever the context.
    @Test func repeatedValueMapsToTheSameRecordKey() throws {
        let hex = "1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00"
        let a = try Self.reading(hex).get(), b = try Self.reading(hex).get()
        let c = try Self.reading(hex, context: "06 0F 00 01 41").get()
        #expect(a.recordKey == b.recordKey)
        #expect(a.recordKey == c.recordKey)
        let other = try Self.reading("1B 10 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00").get()
        #expect(other.recordKey != a.recordKey)
    }

    /// The session's renumbering check reads a value's sequence number even when the rest of
    /// the value does not decode; a value too short to hold one has none.
    @Test func theSequenceNumberIsReadFromTheFirstThreeBytes() throws {
        #expect(GATTGlucoseRecord.sequenceNumber(in: Hex.parse("1B 0F 00 E8 07 01 1E 05 3A 1B 53 01 6F B0 F8 00 00")!) == 15)
        #expect(GATTGlucoseRecord.sequenceNumber(in: [0x0B, 0x29, 0x01]) == 0x0129)   // truncated after it
        #expect(GATTGlucoseRecord.sequenceNumber(in: [0x0B, 0x29]) == nil)
        #expect(GATTGlucoseRecord.sequenceNumber(in: []) == nil)
    }
}
