import Testing
import FrameParsing
import PocGateCore

/// Blood Pressure Measurement (0x2A35): vectors from the text of the GATT Specification
/// Supplement, "Blood Pressure Measurement" (flags, SFLOAT pressures, Date Time, pulse rate,
/// user ID, "Measurement Status" bits) and Blood Pressure Service 1.0.
@Suite struct GATTBloodPressureTests {
    static func readings(_ hex: String) throws -> Result<[Reading], GATTReadingProblem> {
        try GATTBloodPressureRecord.decode(Hex.parse(hex)!).readings(profileID: "bls", serial: "S", model: "M")
    }

    /// A mean arterial pressure of NaN (0x07FF) is "not measured": the panel has systolic and
    /// diastolic only, never a MAP of 2047.
    @Test func meanArterialNaNIsNotMeasuredNever2047() throws {
        let record = try GATTBloodPressureRecord.decode(Hex.parse("1E 78 00 50 00 FF 07 EA 07 0C 07 08 1E 0F 48 00 01 04 00")!)
        #expect(record.meanArterial == .notANumber)
        #expect(record.userID == 1)
        #expect(record.status?.irregularPulse == true)
        let out = try Self.readings("1E 78 00 50 00 FF 07 EA 07 0C 07 08 1E 0F 48 00 01 04 00").get()
        #expect(out.count == 2)
        let panel = out[0]
        #expect(panel.code == "85354-9")
        #expect(panel.components.map(\.code) == ["8480-6", "8462-4"])
        #expect(panel.components.map(\.value) == [ExactDecimal(120), ExactDecimal(80)])
        #expect(panel.unit == "mm[Hg]")
        #expect(panel.flags == [.irregularHeartbeat])
        #expect(panel.deviceTime == LocalDateTime(year: 2026, month: 12, day: 7, hour: 8, minute: 30, second: 15))
        let pulse = out[1]
        #expect(pulse.code == "8867-4")
        #expect(pulse.value == ExactDecimal(72))
        #expect(pulse.unit == "/min")
        #expect(pulse.recordKey == panel.recordKey + "|pulse")
    }

    /// A measured MAP is the third component (8478-0); a negative-exponent SFLOAT (1200 × 10⁻¹)
    /// is 120.0; pulse rate above the range (status bits 3–4 = 1) is HI on the pulse; body
    /// movement holds both readings.
    @Test func measuredMeanExponentAndStatusBits() throws {
        let out = try Self.readings("16 B0 F4 50 00 5D 00 EA 07 0C 07 08 1E 0F 48 00 09 00").get()
        #expect(out[0].components.map(\.code) == ["8480-6", "8462-4", "8478-0"])
        #expect(out[0].components.map(\.value) == [ExactDecimal(parsing: "120.0")!, ExactDecimal(80), ExactDecimal(93)])
        #expect(out[0].flags.isEmpty)
        #expect(out[1].flags == [.aboveRange])
        #expect(out.allSatisfy { $0.valueHold == .deviceWarning })
        let below = try Self.readings("16 78 00 50 00 5D 00 EA 07 0C 07 08 1E 0F 48 00 10 00").get()
        #expect(below[1].flags == [.belowRange])
        #expect(below.allSatisfy { $0.valueHold == nil })
    }

    @Test func kilopascalMissingTimeAndSpecialsAreRefused() throws {
        #expect(try Self.readings("03 10 F1 AB F0 FF 07 EA 07 0C 07 08 1E 0F") == .failure(.unsupportedUnit("kPa")))
        guard case .failure(.noTime) = try Self.readings("04 78 00 50 00 FF 07 48 00") else { Issue.record("no time stamp"); return }
        guard case .failure(.notAReading) = try Self.readings("02 FF 07 50 00 FF 07 EA 07 0C 07 08 1E 0F") else {
            Issue.record("NaN systolic"); return
        }
        guard case .failure(.notAReading) = try Self.readings("02 78 00 50 00 FE 07 EA 07 0C 07 08 1E 0F") else {
            Issue.record("+INF mean"); return
        }
        // A pulse of NaN is no pulse reading, the panel stays.
        #expect(try Self.readings("06 78 00 50 00 FF 07 EA 07 0C 07 08 1E 0F FF 07").get().count == 1)
    }

    /// An indication handed over twice gives the same key; another user or time, another key.
    @Test func repeatedIndicationMapsToTheSameRecordKey() throws {
        let hex = "1E 78 00 50 00 FF 07 EA 07 0C 07 08 1E 0F 48 00 01 04 00"
        #expect(try Self.readings(hex).get().map(\.recordKey) == Self.readings(hex).get().map(\.recordKey))
        let otherUser = try Self.readings("1E 78 00 50 00 FF 07 EA 07 0C 07 08 1E 0F 48 00 02 04 00").get()
        #expect(otherUser[0].recordKey != (try Self.readings(hex).get()[0].recordKey))
    }
}
