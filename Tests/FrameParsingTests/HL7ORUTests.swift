import Testing
import FrameParsing
import PocGateCore

/// ORU^R01 results to readings (C: messages built from the public segment layouts).
@Suite struct HL7ORUTests {
    static func interpret(_ bytes: [UInt8]) throws -> HL7ORU {
        try HL7ORU.interpret(payload: bytes, profileID: "kiosk").get().1
    }

    static func oneOBX(_ obx: String, obrTime: String = "20240615083000+0800") throws -> HL7ORU {
        try interpret(HL7Fixtures.message([HL7Fixtures.msh("C1"), "PID|||\(HL7Fixtures.patient)", "OBR|1||||||\(obrTime)", obx]))
    }

    @Test func everyKioskResultBecomesAReadingOrAComponent() throws {
        let oru = try Self.interpret(HL7Fixtures.kiosk)
        #expect(oru.problems.isEmpty, "\(oru.problems)")
        #expect(oru.readings.map(\.kind) == [.bloodPressure, .heartRate, .oxygenSaturation, .bodyTemperature, .bodyHeight,
                                             .bodyWeight, .bmi, .glucose, .cholesterol, .triglycerides, .uricAcid])
        // 13 OBX: three are the blood-pressure components, the other ten one reading each.
        let used = oru.readings.reduce(0) { $0 + max(1, $1.components.count) }
        #expect(used == 13)
        #expect(oru.readings.map(\.value.description) == ["148", "76", "97", "36.6", "168.5", "72.40", "25.5", "7.8", "198", "1.45", "428"])
        #expect(oru.readings.map(\.unit) == ["mm[Hg]", "/min", "%", "Cel", "cm", "kg", "kg/m2", "mmol/L", "mg/dL", "mmol/L", "umol/L"])
        // Codes as the device sent them: MDC for the pulse rate and SpO2, LOINC for the rest.
        #expect(oru.readings.map(\.code) == ["85354-9", "MDC:149546", "MDC:150456", "8310-5", "8302-2", "29463-7", "39156-5",
                                             "14743-9", "2093-3", "14927-8", "14933-6"])
        #expect(oru.readings.allSatisfy { $0.patientID == HL7Fixtures.patient })
        #expect(oru.readings.allSatisfy { $0.deviceSerial == "00A0C9FFFE123456" && $0.deviceModel == "HK-7000" })
        #expect(oru.patientID == HL7Fixtures.patient)
    }

    @Test func bloodPressureIsOnePanel() throws {
        let bp = try #require(try Self.interpret(HL7Fixtures.kiosk).readings.first)
        #expect(bp.kind == .bloodPressure && bp.value == ExactDecimal(148) && bp.unit == "mm[Hg]")
        #expect(bp.components == [ReadingComponent(kind: .systolicPressure, value: ExactDecimal(148), unit: "mm[Hg]"),
                                  ReadingComponent(kind: .diastolicPressure, value: ExactDecimal(92), unit: "mm[Hg]"),
                                  ReadingComponent(kind: .meanPressure, value: ExactDecimal(111), unit: "mm[Hg]")])
        #expect(bp.components.map(\.code) == ["8480-6", "8462-4", "8478-0"])
        #expect(bp.flags == [.abnormalHigh])
        #expect(bp.deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 29))
        #expect(String(decoding: bp.raw, as: UTF8.self).hasPrefix("OBX|1|NM|150021"))
    }

    @Test func timesComeFromOBX14ElseOBR7() throws {
        let r = try Self.interpret(HL7Fixtures.kiosk).readings
        #expect(r[2].deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 40))   // OBR-7
        #expect(r[3].deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 31, second: 10))   // OBX-14
        let none = try Self.oneOBX("OBX|1|NM|8867-4^HR^LN||64|/min", obrTime: "")
        #expect(none.readings.isEmpty && none.problems == [.noTime(setID: "1")])
    }

    @Test func abnormalFlags() throws {
        for (flag, expected) in [("H", ReadingFlag.abnormalHigh), ("HH", .abnormalHigh), ("L", .abnormalLow), ("LL", .abnormalLow)] {
            let r = try Self.oneOBX("OBX|1|NM|8867-4^HR^LN||64|/min||\(flag)").readings
            #expect(r.map(\.flags) == [[expected]])
        }
        #expect(try Self.oneOBX("OBX|1|NM|8867-4^HR^LN||64|/min||N").readings.map(\.flags) == [[]])
    }

    @Test func structuredNumbersAreBounds() throws {
        let hi = try Self.oneOBX("OBX|1|SN|14743-9^GLU^LN||>^33.3|mmol/L").readings
        #expect(hi.map(\.value) == [ExactDecimal(mantissa: 333, scale: 1)] && hi.map(\.flags) == [[.aboveRange]])
        let lo = try Self.oneOBX("OBX|1|SN|14743-9^GLU^LN||<^1.1|mmol/L").readings
        #expect(lo.map(\.value) == [ExactDecimal(mantissa: 11, scale: 1)] && lo.map(\.flags) == [[.belowRange]])
        let exact = try Self.oneOBX("OBX|1|SN|14743-9^GLU^LN||^5.6|mmol/L").readings
        #expect(exact.map(\.value) == [ExactDecimal(mantissa: 56, scale: 1)] && exact.map(\.flags) == [[]])
        let range = try Self.oneOBX("OBX|1|SN|14743-9^GLU^LN||^5^-^7|mmol/L")
        #expect(range.readings.isEmpty && range.problems == [.badValue(type: "SN", value: "^5^-^7")])
    }

    @Test func numbersAndTextAreExact() throws {
        #expect(try Self.oneOBX("OBX|1|NM|29463-7^W^LN||+072.50|kg").readings.map(\.value) == [ExactDecimal(mantissa: 7250, scale: 2)])
        #expect(try Self.oneOBX("OBX|1|ST|29463-7^W^LN|| 72.5 |kg").readings.map(\.value) == [ExactDecimal(mantissa: 725, scale: 1)])
        #expect(try Self.oneOBX("OBX|1|ST|14743-9^GLU^LN||>33.3|mmol/L").readings.map(\.flags) == [[.aboveRange]])
        #expect(try Self.oneOBX("OBX|1|ST|14743-9^GLU^LN||HIGH|mmol/L").problems == [.badValue(type: "ST", value: "HIGH")])
        #expect(try Self.oneOBX("OBX|1|NM|14743-9^GLU^LN||5,6|mmol/L").problems == [.badValue(type: "NM", value: "5,6")])
        #expect(try Self.oneOBX("OBX|1|CE|14743-9^GLU^LN||POS|mmol/L").problems == [.unsupportedValueType("CE")])
    }

    @Test func unknownCodesAndUnitsAreProblems() throws {
        let code = try Self.oneOBX("OBX|1|NM|9999-9^Mystery^LN||5|mg/dL")
        #expect(code.readings.isEmpty && code.problems == [.unknownCode(setID: "1", code: "9999-9^Mystery^LN")])
        let unit = try Self.oneOBX("OBX|1|NM|14743-9^GLU^LN||5|furlong")
        #expect(unit.readings.isEmpty && unit.problems == [.unknownUnit(setID: "1", unit: "furlong", kind: "glucose")])
        let mismatch = try Self.oneOBX("OBX|1|NM|8867-4^HR^LN||5|mg/dL")
        #expect(mismatch.problems == [.unknownUnit(setID: "1", unit: "mg/dL", kind: "heart-rate")])
    }

    @Test func bloodPressureNeedsBothValues() throws {
        let oru = try Self.oneOBX("OBX|1|NM|8480-6^SYS^LN||120|mm[Hg]")
        #expect(oru.readings.isEmpty && oru.problems == [.incompleteBloodPressure(obr: "1")])
    }

    @Test func cancelledResultsAreSkipped() throws {
        let oru = try Self.oneOBX("OBX|1|NM|8867-4^HR^LN||64|/min|||||X")
        #expect(oru.readings.isEmpty && oru.problems.isEmpty)
    }

    @Test func numericArrayWithLeadsIsAWaveform() throws {
        let oru = try Self.interpret(HL7Fixtures.message([
            HL7Fixtures.msh("E1"), "PID|||\(HL7Fixtures.patient)", "OBR|1||||||20240615090000",
            "OBX|1|NM|0^MDC_ATTR_SAMP_RATE^MDC||500|Hz",
            "OBX|2|NA|131329^MDC_ECG_LEAD_I^MDC||0^0.125^-0.25^1|mV",
            "OBX|3|NA|131330^MDC_ECG_LEAD_II^MDC||0^0.5^-0.005^2|mV",
        ]))
        #expect(oru.problems.isEmpty, "\(oru.problems)")
        let wave = try #require(oru.readings.first?.waveform)
        #expect(oru.readings.map(\.kind) == [.ecgWaveform])
        #expect(wave.leads.map(\.name) == ["I", "II"])
        #expect(wave.leads[0].samples == [0, 125, -250, 1000] && wave.leads[1].samples == [0, 500, -5, 2000])
        #expect(wave.factor == ExactDecimal(1) && wave.unit == "uV" && wave.periodMillis == ExactDecimal(2))
    }

    @Test func numericArrayWithoutLeadIsAProblem() throws {
        let oru = try Self.oneOBX("OBX|1|NA|8867-4^HR^LN||60^61^62|/min")
        #expect(oru.readings.isEmpty && oru.problems == [.arrayWithoutLead(setID: "1")])
        let norate = try Self.oneOBX("OBX|1|NA|MDC_ECG_LEAD_V1^V1^MDC||1^2|uV")
        #expect(norate.problems == [.waveformWithoutRate(obr: "1")])
    }

    @Test func recordKeysAreStableAcrossResendsAndSeparatePatients() throws {
        let first = try Self.interpret(HL7Fixtures.kiosk).readings.map(\.recordKey)
        var resent = HL7Fixtures.kioskSegments
        resent[0] = HL7Fixtures.msh("HK0000999")     // a new control id for the same results
        #expect(try Self.interpret(HL7Fixtures.message(resent)).readings.map(\.recordKey) == first)
        #expect(Set(first).count == first.count)
        var other = HL7Fixtures.kioskSegments
        other[1] = "PID|1||440305197508220031"
        let otherKeys = try Self.interpret(HL7Fixtures.message(other)).readings.map(\.recordKey)
        #expect(Set(otherKeys).isDisjoint(with: first))
        #expect(!first.joined().contains(HL7Fixtures.patient))   // the key never holds the id itself
    }

    @Test func patientIdPrefersTheResidentNumber() throws {
        var segments = HL7Fixtures.kioskSegments
        segments[1] = "PID|1||A123^^^CLINIC^MR~\(HL7Fixtures.patient)^^^CHN^NNCHN"
        #expect(try Self.interpret(HL7Fixtures.message(segments)).patientID == HL7Fixtures.patient)
        segments[1] = "PID|1||A123^^^CLINIC^MR"
        #expect(try Self.interpret(HL7Fixtures.message(segments)).patientID == "A123")
    }

    @Test func otherMessagesAreRejected() {
        let adt = HL7Fixtures.message([HL7Fixtures.msh("C2", type: "ADT^A01"), "PID|||1"])
        #expect(throws: HL7Rejection.unsupportedMessageType("ADT^A01")) { try HL7ORU.interpret(payload: adt, profileID: "p").get() }
        let noID = HL7Fixtures.message([HL7Fixtures.msh(""), "PID|||1"])
        #expect(throws: HL7Rejection.noControlID) { try HL7ORU.interpret(payload: noID, profileID: "p").get() }
        #expect(throws: HL7Rejection.unparsable(.noMSH)) { try HL7ORU.interpret(payload: Array("hello".utf8), profileID: "p").get() }
    }

    @Test func mdcUnitsAndAliasesMapToUCUM() throws {
        let cases: [(String, String, String)] = [
            ("150364^MDC_TEMP_BODY^MDC", "268192^MDC_DIM_DEGC^MDC", "Cel"), ("8310-5^T^LN", "℃", "Cel"),
            ("150456^MDC_PULS_OXIM_SAT_O2^MDC", "262688^MDC_DIM_PERCENT^MDC", "%"), ("149530^X^MDC", "bpm", "/min"),
            ("8480-6^S^LN", "mmHg", "mm[Hg]"), ("14933-6^U^LN", "µmol/L", "umol/L"), ("160184^G^MDC", "266866^X^MDC", "mmol/L"),
        ]
        for (code, unit, ucum) in cases {
            let obx = try HL7Message(parsing: Array(#"MSH|^~\&|A"#.utf8) + [0x0D] + Array("OBX|1|NM|\(code)||1|\(unit)".utf8)).segments[1]
            #expect(HL7Unit.ucum(obx) == ucum, "\(unit)")
            #expect(HL7ObservationCode.of(obx) != nil, "\(code)")
        }
    }

    @Test func shippedCaptureReplays() {
        var bytes: [UInt8] = [0x00, 0xFF]
        bytes += MLLPBlock.wrap(HL7Fixtures.kiosk) + [0x0D, 0x0A] + MLLPBlock.wrap([0x06])
        let result = HL7Capture.decodeCapture(bytes, profileID: "kiosk")
        #expect(result.readings.count == 11 && result.problems.isEmpty)
        #expect(result.deviceSerial == "00A0C9FFFE123456" && result.counters.garbageBytes == 4)
    }
}
