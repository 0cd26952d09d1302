import FrameParsing
import PocGateCore
import Testing

/// The TaiDoc/FORA family by model and record type (FORA's published notes for its D40 2-in-1,
/// MD6 and IR42: the minute byte's bit 7 of a record's time reply is the record type). Every
/// frame here is built from those notes, not from the decoder.
struct TaiDocRecordTypeTests {
    static let twoInOne = TaiDocModels(["3261": [.glucose, .bloodPressure]])

    /// Feeds a model reply, then one record's time and value replies; returns the record.
    static func record(model: (UInt8, UInt8), time: (UInt8, UInt8, UInt8, UInt8), value: (UInt8, UInt8, UInt8, UInt8),
                       models: TaiDocModels) throws -> TaiDocRecord {
        var dump = TaiDocDump(models: models)
        _ = dump.consume(TaiDocFrame(command: 0x24, payload: (model.0, model.1, 0, 0), direction: .meterToHost))
        _ = dump.consume(TaiDocFrame(command: 0x25, payload: time, direction: .meterToHost))
        guard case let .record(r) = dump.consume(TaiDocFrame(command: 0x26, payload: value, direction: .meterToHost)) else {
            throw RecordMissing()
        }
        return r
    }

    struct RecordMissing: Error {}

    /// 2024-06-15 08:30 with `minuteBits` / `hourBits` or-ed in.
    static func time(minuteBits: UInt8 = 0, hourBits: UInt8 = 0) -> (UInt8, UInt8, UInt8, UInt8) {
        (0xCF, 0x30, 30 | minuteBits, 8 | hourBits)
    }

    /// Clinical risk: a 2-in-1 meter's 120/80 mmHg record was uploaded as glucose 120 mg/dL
    /// "before meal" (the type bit was masked). It must be a BP panel and a heart rate.
    @Test func aTwoInOneBloodPressureRecordIsAPanelAndHeartRateNeverGlucose() throws {
        let r = try Self.record(model: (0x61, 0x32), time: Self.time(minuteBits: 0x80), value: (120, 93, 80, 0x40), models: Self.twoInOne)
        let readings = try r.readings(profileID: "fora-2in1", serial: "S", model: "TD-3261").get()
        #expect(readings.map(\.kind) == [.bloodPressure, .heartRate])
        #expect(!readings.contains { $0.kind == .glucose })
        let panel = try #require(readings.first)
        #expect(panel.code == "85354-9" && panel.unit == "mm[Hg]")
        #expect(panel.components.map { "\($0.code)=\($0.value)" } == ["8480-6=120", "8462-4=80", "8478-0=93"])
        #expect(panel.deviceTime.description == "2024-06-15T08:30:00")
        #expect(readings[1].code == "8867-4" && readings[1].value == ExactDecimal(64) && readings[1].unit == "/min")
        #expect(readings[0].recordKey != readings[1].recordKey)
    }

    /// The same meter's glucose record (type bit clear) stays glucose, with its old record key.
    @Test func aTwoInOneGlucoseRecordStaysGlucoseWithItsKey() throws {
        let r = try Self.record(model: (0x61, 0x32), time: Self.time(), value: (0x78, 0, 0, 0x40), models: Self.twoInOne)
        let readings = try r.readings(profileID: "fora-2in1", serial: "S", model: "TD-3261").get()
        #expect(readings.map(\.kind) == [.glucose])
        #expect(readings.first?.flags == [.beforeMeal])
        #expect(readings.first?.recordKey == "2024-06-15T08:30|120|40|0")
    }

    /// Clinical risk: a thermometer's 37.0 °C was uploaded as glucose 370 mg/dL.
    @Test func aThermometerRecordIsBodyTemperatureNotGlucose370() throws {
        let r = try Self.record(model: (0x42, 0x12), time: Self.time(), value: (0x72, 0x01, 0, 0),
                                models: TaiDocModels(["1242": [.thermometer]]))
        let readings = try r.readings(profileID: "fora-ir-thermometer", serial: "S", model: "TD-1242").get()
        #expect(readings.map { "\($0.kind.rawValue) \($0.code) \($0.value) \($0.unit)" } == ["body-temperature 8310-5 37.0 Cel"])
    }

    /// Clinical risk: a device whose model the profile does not list was decoded as glucose.
    @Test func anUnlistedModelsRecordIsAProblemNeverGlucose() throws {
        let r = try Self.record(model: (0x61, 0x32), time: Self.time(), value: (0x78, 0, 0, 0), models: .glucoseMeters)
        #expect(r.readings(profileID: "taidoc-td4277", serial: "S", model: "TD-3261") == .failure(.modelNotListed("3261")))
    }

    /// Clinical risk: a blood-pressure record from a model listed as glucose-only was glucose.
    @Test func aBloodPressureRecordFromAGlucoseOnlyModelIsAProblem() throws {
        let r = try Self.record(model: (0x77, 0x42), time: Self.time(minuteBits: 0x80), value: (120, 93, 80, 72), models: .glucoseMeters)
        #expect(r.readings(profileID: "taidoc-td4277", serial: "S", model: "TD-4277")
                == .failure(.recordTypeNotAllowed(model: "4277", bloodPressure: true)))
    }

    /// A monitor that stores only blood pressure need not set the type bit: still blood pressure.
    @Test func aBloodPressureOnlyModelReadsEveryRecordAsBloodPressure() throws {
        let r = try Self.record(model: (0x28, 0x31), time: Self.time(), value: (135, 0, 85, 70), models: TaiDocModels(["3128": [.bloodPressure]]))
        let readings = try r.readings(profileID: "fora-bp-monitor", serial: "S", model: "TD-3128").get()
        #expect(readings.map(\.kind) == [.bloodPressure, .heartRate])
        #expect(readings.first?.components.count == 2, "no mean arterial pressure stored (d1 = 0)")
    }

    /// Clinical risk: the monitor's irregular-heartbeat warning was dropped with the masked bits.
    @Test(arguments: [(UInt8(0x40), UInt8(0)), (0, 0x20), (0, 0x40), (0, 0x60)])
    func irregularHeartbeatBitsBecomeTheFlag(minuteBits: UInt8, hourBits: UInt8) throws {
        let r = try Self.record(model: (0x61, 0x32), time: Self.time(minuteBits: 0x80 | minuteBits, hourBits: hourBits),
                                value: (142, 0, 91, 88), models: Self.twoInOne)
        let readings = try r.readings(profileID: "p", serial: "S", model: "m").get()
        #expect(readings.allSatisfy { $0.flags == [.irregularHeartbeat] })
        #expect(readings.first?.deviceTime.description == "2024-06-15T08:30:00", "flag bits are not part of the time")
    }

    /// Clinical risk: an averaged record uploaded as if it were one measurement.
    @Test func anAveragedBloodPressureRecordIsAProblemNotAMeasurement() throws {
        let r = try Self.record(model: (0x61, 0x32), time: Self.time(minuteBits: 0x80, hourBits: 0x80), value: (130, 0, 85, 70),
                                models: Self.twoInOne)
        #expect(r.readings(profileID: "p", serial: "S", model: "m") == .failure(.averagedRecord))
    }

    /// Clinical risk: a pressure whose bytes mean something else (d1 a high byte of a systolic
    /// above 255, as one public driver reads it) decoded as a wrong panel.
    @Test(arguments: [(UInt8(0x2C), UInt8(1), UInt8(80)), (120, 0, 0), (80, 0, 120), (120, 130, 80), (120, 70, 80)])
    func anImplausiblePressureIsAProblem(d0: UInt8, d1: UInt8, d2: UInt8) throws {
        let r = try Self.record(model: (0x61, 0x32), time: Self.time(minuteBits: 0x80), value: (d0, d1, d2, 70), models: Self.twoInOne)
        guard case .failure(.bloodPressureImplausible) = r.readings(profileID: "p", serial: "S", model: "m") else {
            Issue.record("\(d0) \(d1) \(d2) decoded")
            return
        }
    }

    /// A thermometer value outside a body temperature (object mode, a fault) is not uploaded.
    @Test func aThermometerValueOutsideBodyRangeIsAProblem() throws {
        let r = try Self.record(model: (0x42, 0x12), time: Self.time(), value: (0xDF, 0x00, 0, 0),
                                models: TaiDocModels(["1242": [.thermometer]]))
        #expect(r.readings(profileID: "p", serial: "S", model: "m") == .failure(.temperatureImplausible("22.3")))
    }

    /// The MD6 analyte field (d3 bits 5..2) picks the reading: each with its own code and unit.
    @Test func multiAnalyteRecordsDecodeByTheirAnalyteField() throws {
        let md6 = TaiDocModels(["0006": [.multiAnalyte]])
        func decode(_ value: (UInt8, UInt8, UInt8, UInt8)) throws -> Result<[Reading], TaiDocRecordProblem> {
            try Self.record(model: (0x06, 0x00), time: Self.time(), value: value, models: md6)
                .readings(profileID: "p", serial: "S", model: "m")
        }
        func line(_ r: Result<[Reading], TaiDocRecordProblem>) -> String {
            switch r {
            case let .success(rs): return rs.map { "\($0.kind.rawValue) \($0.code) \($0.value) \($0.unit)" }.joined()
            case let .failure(p): return "\(p)"
            }
        }
        #expect(line(try decode((0x78, 0, 0, 0x00))) == "glucose 41653-7 120 mg/dL")
        #expect(line(try decode((45, 0, 0, 7 << 2))) == "ketone 66441-7 1.5 mmol/L")
        #expect(line(try decode((65, 0, 0, 8 << 2))) == "uric-acid 3084-1 6.5 mg/dL")
        #expect(line(try decode((180, 0, 0, 9 << 2))) == "cholesterol 2093-3 180 mg/dL")
        #expect(line(try decode((140, 0, 0, 11 << 2))) == "haemoglobin 718-7 14.0 g/dL")
        #expect(try decode((42, 0, 0, 6 << 2)) == .failure(.unsupportedAnalyte(6)))
    }

    /// Risk: an MD6 haemoglobin result refused (lost to the center) or sent ten times too large.
    /// AdvMeds' driver stores Hb as 10 × g/dL: 0x8C = 140 is 14.0 g/dL, LOINC 718-7. Haematocrit
    /// (6) has no published scale and stays a problem with its bytes, never a guessed %.
    @Test func anMD6HaemoglobinIsReadInTenthsOfGramsPerDecilitreAndHaematocritStaysRefused() throws {
        let md6 = TaiDocModels(["0006": [.multiAnalyte]])
        let hb = try Self.record(model: (0x06, 0x00), time: Self.time(), value: (0x8C, 0, 0, 11 << 2), models: md6)
        let readings = try hb.readings(profileID: "p", serial: "S", model: "m").get()
        #expect(readings.count == 1)
        #expect(readings.first?.kind == .haemoglobin && readings.first?.code == "718-7")
        #expect(readings.first?.value == ExactDecimal(mantissa: 140, scale: 1) && readings.first?.unit == "g/dL")
        let hct = try Self.record(model: (0x06, 0x00), time: Self.time(), value: (42, 0, 0, 6 << 2), models: md6)
        #expect(hct.readings(profileID: "p", serial: "S", model: "m") == .failure(.unsupportedAnalyte(6)))
    }

    /// A glucose-only meter never turns a ketone strip into glucose (TP's mask lets 6 match 7).
    @Test func aGlucoseMetersKetoneCodeIsAProblemNotGlucose() throws {
        let r = try Self.record(model: (0x77, 0x42), time: Self.time(), value: (45, 0, 0, 7 << 2), models: .glucoseMeters)
        #expect(r.readings(profileID: "p", serial: "S", model: "m") == .failure(.unsupportedAnalyte(7)))
    }
}
