import Testing
import FrameParsing
import PocGateCore

/// Temperature Measurement (0x2A1C), PLX Spot-Check Measurement (0x2A5E) and Weight
/// Measurement (0x2A9D): vectors built from the text of the GATT Specification Supplement
/// (those sections, "Date Time") with Health Thermometer Service 1.0, Pulse Oximeter Service
/// 1.0 and Weight Scale Service 1.0.
@Suite struct GATTVitalSignsTests {
    static let time = LocalDateTime(year: 2026, month: 12, day: 7, hour: 8, minute: 30, second: 15)
    static let stamp = "EA 07 0C 07 08 1E 0F"

    // MARK: Health Thermometer

    /// FLOAT 365 × 10⁻¹ °C, type 6 (mouth): 36.5 Cel, 8310-5, body site "mouth".
    @Test func thermometerCelsiusWithType() throws {
        let r = try GATTTemperatureRecord.decode(Hex.parse("06 6D 01 00 FF \(Self.stamp) 06")!)
        #expect(r.temperature == .value(ExactDecimal(parsing: "36.5")!))
        let reading = try r.reading(profileID: "hts", serial: "S", model: "M").get()
        #expect(reading.code == "8310-5")
        #expect(reading.unit == "Cel")
        #expect(reading.value == ExactDecimal(parsing: "36.5")!)
        #expect(reading.bodySite == "mouth")
        #expect(reading.deviceTime == Self.time)
    }

    /// Flag bit 0: Fahrenheit, kept as sent ([degF]); FLOAT NaN is never a reading.
    @Test func thermometerFahrenheitAndNaN() throws {
        let f = try GATTTemperatureRecord.decode(Hex.parse("03 DA 03 00 FF \(Self.stamp)")!).reading(profileID: "h", serial: "S", model: "M").get()
        #expect(f.unit == "[degF]")
        #expect(f.value == ExactDecimal(parsing: "98.6")!)
        #expect(f.bodySite == nil)
        guard case .failure(.notAReading) = try GATTTemperatureRecord.decode(Hex.parse("02 FF FF 7F 00 \(Self.stamp)")!)
            .reading(profileID: "h", serial: "S", model: "M") else { Issue.record("FLOAT NaN"); return }
        guard case .failure(.noTime) = try GATTTemperatureRecord.decode(Hex.parse("00 6D 01 00 FF")!)
            .reading(profileID: "h", serial: "S", model: "M") else { Issue.record("no time stamp"); return }
    }

    // MARK: Pulse Oximeter

    /// SpO2 98 %, PR 72 /min (SFLOAT, exponent 0): 59408-5 and 8867-4.
    @Test func spotCheckBecomesSaturationAndPulse() throws {
        let out = try GATTSpotCheckRecord.decode(Hex.parse("01 62 00 48 00 \(Self.stamp)")!).readings(profileID: "p", serial: "S", model: "M").get()
        #expect(out.map(\.code) == ["59408-5", "8867-4"])
        #expect(out.map(\.value) == [ExactDecimal(98), ExactDecimal(72)])
        #expect(out.map(\.unit) == ["%", "/min"])
        #expect(out.allSatisfy { $0.deviceTime == Self.time && $0.valueHold == nil })
    }

    /// Every optional field in order: measurement status (validated), device and sensor status
    /// (uint24), pulse amplitude index (SFLOAT 55 × 10⁻¹).
    @Test func spotCheckWithEveryField() throws {
        let r = try GATTSpotCheckRecord.decode(Hex.parse("0F 62 00 48 00 \(Self.stamp) 80 00 00 00 00 37 F0")!)
        #expect(r.measurementStatus == GATTSpotCheckRecord.MeasurementStatus.validated)
        #expect(r.deviceAndSensorStatus == 0)
        #expect(r.pulseAmplitudeIndexSFLOAT.map(IEEE11073Number.sfloat) == .value(ExactDecimal(parsing: "5.5")!))
        #expect(try r.readings(profileID: "p", serial: "S", model: "M").get().count == 2)
        // Poor signal (device status bit 4) holds both readings.
        let poor = try GATTSpotCheckRecord.decode(Hex.parse("0F 62 00 48 00 \(Self.stamp) 80 00 10 00 00 37 F0")!)
        #expect(try poor.readings(profileID: "p", serial: "S", model: "M").get().allSatisfy { $0.valueHold == .deviceWarning })
    }

    /// Demonstration data, an invalid measurement and an unset device clock are refused.
    @Test func spotCheckNotPatientDataAndUnsetClockAreRefused() throws {
        func result(_ hex: String) throws -> Result<[Reading], GATTReadingProblem> {
            try GATTSpotCheckRecord.decode(Hex.parse(hex)!).readings(profileID: "p", serial: "S", model: "M")
        }
        #expect(try result("03 62 00 48 00 \(Self.stamp) 00 04") == .failure(.notPatientMeasurement("data for demonstration")))
        #expect(try result("03 62 00 48 00 \(Self.stamp) 00 80") == .failure(.notPatientMeasurement("invalid measurement detected")))
        #expect(try result("11 62 00 48 00 \(Self.stamp)") == .failure(.clockNotSet))
        // PR NaN: the saturation alone.
        #expect(try result("01 62 00 FF 07 \(Self.stamp)").get().map(\.code) == ["59408-5"])
    }

    // MARK: Weight Scale

    /// SI: 14100 × 0.005 kg = 70.5 kg; BMI 225 × 0.1; height 1770 × 0.001 m = 177.0 cm.
    @Test func weightSIWithBMIAndHeight() throws {
        let out = try GATTWeightRecord.decode(Hex.parse("0E 14 37 \(Self.stamp) 01 E1 00 EA 06")!).readings(profileID: "w", serial: "S", model: "M").get()
        #expect(out.map(\.code) == ["29463-7", "39156-5", "8302-2"])
        #expect(out.map(\.value) == [ExactDecimal(parsing: "70.500")!, ExactDecimal(parsing: "22.5")!, ExactDecimal(parsing: "177.0")!])
        #expect(out.map(\.unit) == ["kg", "kg/m2", "cm"])
        #expect(out[1].recordKey == out[0].recordKey + "|bmi")
        #expect(out[0].recordKey == "wss|1|2026-12-07T08:30:15|14100|kg")
    }

    /// Imperial: 15540 × 0.01 lb = 155.40 [lb_av]; height 0.1 in; 0xFFFF is "measurement
    /// unsuccessful", refused.
    @Test func weightImperialAndUnsuccessful() throws {
        let lb = try GATTWeightRecord.decode(Hex.parse("03 B4 3C \(Self.stamp)")!).readings(profileID: "w", serial: "S", model: "M").get()
        #expect(lb.map(\.value) == [ExactDecimal(parsing: "155.40")!])
        #expect(lb.map(\.unit) == ["[lb_av]"])
        let tall = try GATTWeightRecord.decode(Hex.parse("0B B4 3C \(Self.stamp) E1 00 BE 02")!).readings(profileID: "w", serial: "S", model: "M").get()
        #expect(tall[2].value == ExactDecimal(parsing: "70.2")!)
        #expect(tall[2].unit == "[in_i]")
        guard case .failure(.notPatientMeasurement) = try GATTWeightRecord.decode(Hex.parse("02 FF FF \(Self.stamp)")!)
            .readings(profileID: "w", serial: "S", model: "M") else { Issue.record("0xFFFF"); return }
    }
}
