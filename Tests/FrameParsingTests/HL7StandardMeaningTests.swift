import Testing
import FrameParsing
import PocGateCore

/// What HL7 v2.5.1 says OBX/OBR fields mean (chapter 7 OBX-4, OBX-11, OBX-14, OBX-20; chapter
/// 2A TS/DTM), each test named after the clinical error it prevents (C: messages built from the
/// public segment layouts).
@Suite struct HL7StandardMeaningTests {
    static func oru(_ segments: [String]) throws -> HL7ORU {
        try HL7ORU.interpret(payload: HL7Fixtures.message([HL7Fixtures.msh("S1"), "PID|||\(HL7Fixtures.patient)"] + segments),
                             profileID: "monitor").get().1
    }

    @Test func aTimeWithAUTCOffsetKeepsItsOffsetSoTheReadingIsNotEightHoursEarly() throws {
        let r = try Self.oru(["OBR|1||||||20240301003000+0000", "OBX|1|NM|8867-4^HR^LN||64|/min|||||F|||20240301003000+0000"]).readings
        #expect(r.map(\.deviceTime) == [LocalDateTime(year: 2024, month: 3, day: 1, hour: 0, minute: 30)])
        #expect(r.map(\.utcOffsetSeconds) == [0])
        let west = try Self.oru(["OBR|1", "OBX|1|NM|8867-4^HR^LN||64|/min|||||F|||202403010030-0530"]).readings
        #expect(west.map(\.utcOffsetSeconds) == [-(5 * 3600 + 30 * 60)])
        let local = try Self.oru(["OBR|1", "OBX|1|NM|8867-4^HR^LN||64|/min|||||F|||202403010030"]).readings
        #expect(local.map(\.utcOffsetSeconds) == [nil], "no offset: the configured zone applies")
        #expect(HL7Timestamp.parseZoned("20240301003000+2400") == nil, "an offset beyond ±14:00 is not a time")
    }

    @Test func aMalformedOBX14IsAProblemNotReplacedByTheOrdersTime() throws {
        let oru = try Self.oru(["OBR|1||||||20240301083000", "OBX|1|NM|8867-4^HR^LN||64|/min|||||F|||2024-03-01 08:30"])
        #expect(oru.readings.isEmpty)
        #expect(oru.problems == [.badTime(setID: "1", text: "2024-03-01 08:30")])
        #expect(String(decoding: oru.problemBytes[0], as: UTF8.self).hasPrefix("OBX|1|NM|8867-4"), "kept with its bytes")
    }

    @Test func theGlucoseCodeTheDeviceSentIsKeptWithItsSpecimen() throws {
        let r = try Self.oru(["OBR|1||||||202403010830", "OBX|1|NM|2339-0^Glucose Bld^LN||98|mg/dL",
                              "OBX|2|NM|15074-8^Glucose Bld^LN||5.4|mmol/L", "OBX|3|NM|2708-6^SaO2^LN||97|%"]).readings
        #expect(r.map(\.code) == ["2339-0", "15074-8", "2708-6"])
        #expect(r.map(\.kind) == [.glucose, .glucose, .oxygenSaturation])
    }

    @Test func twoBloodPressuresInOneOrderToldApartByOBX4AreTwoReadingsNotOne() throws {
        let oru = try Self.oru([
            "OBR|1||||||202403010830",
            "OBX|1|NM|8480-6^SBP^LN|1|150|mm[Hg]", "OBX|2|NM|8462-4^DBP^LN|1|95|mm[Hg]",
            "OBX|3|NM|8480-6^SBP^LN|2|138|mm[Hg]", "OBX|4|NM|8462-4^DBP^LN|2|88|mm[Hg]",
        ])
        #expect(oru.problems.isEmpty)
        #expect(oru.readings.map { $0.components.map(\.value.description) } == [["150", "95"], ["138", "88"]])
        #expect(Set(oru.readings.map(\.recordKey)).count == 2)
        // Without sub-ids, a repeated systolic opens the next panel instead of overwriting the first.
        let bare = try Self.oru([
            "OBR|1||||||202403010830",
            "OBX|1|NM|8480-6^SBP^LN||150|mm[Hg]", "OBX|2|NM|8462-4^DBP^LN||95|mm[Hg]",
            "OBX|3|NM|8480-6^SBP^LN||138|mm[Hg]", "OBX|4|NM|8462-4^DBP^LN||88|mm[Hg]",
        ])
        #expect(bare.readings.map { $0.components.map(\.value.description) } == [["150", "95"], ["138", "88"]])
    }

    @Test func resultsThatWereNotAskedOrCannotBeObtainedAreNotReadings() throws {
        let oru = try Self.oru(["OBR|1||||||202403010830"] + ["N", "O", "X", "D", "I"].enumerated().map { i, status in
            "OBX|\(i + 1)|NM|8867-4^HR^LN||6\(i)|/min|||||\(status)"
        })
        #expect(oru.readings.isEmpty && oru.problems.isEmpty)
        #expect(oru.notResults == 5)
        let odd = try Self.oru(["OBR|1||||||202403010830", "OBX|1|NM|8867-4^HR^LN||64|/min|||||Q"])
        #expect(odd.readings.isEmpty && odd.problems == [.unknownStatus(setID: "1", status: "Q")])
    }

    @Test func preliminaryAndCorrectedResultsKeepTheirStatusAndTheirObservationIdentity() throws {
        let original = try Self.oru(["OBR|1||F77||||202403010830", "OBX|1|NM|2339-0^Glucose^LN|1|98|mg/dL|||||P"]).readings
        let corrected = try Self.oru(["OBR|1||F77||||202403010830", "OBX|1|NM|2339-0^Glucose^LN|1|89|mg/dL|||||C"]).readings
        let withdrawn = try Self.oru(["OBR|1||F77||||202403010830", "OBX|1|NM|2339-0^Glucose^LN|1|89|mg/dL|||||W"]).readings
        #expect(original.map(\.status) == [.preliminary] && corrected.map(\.status) == [.corrected]
                && withdrawn.map(\.status) == [.enteredInError])
        #expect(original[0].identity != nil && original[0].identity == corrected[0].identity && corrected[0].identity == withdrawn[0].identity)
        #expect(Set([original[0].recordKey, corrected[0].recordKey, withdrawn[0].recordKey]).count == 3,
                "a correction is stored beside what it amends, never dropped as a duplicate")
    }

    /// A real vital-signs monitor: generic MDC codes, a temperature with its site, a result not
    /// measured (empty OBX-5).
    static let monitor: [String] = [
        "OBR|1||||||20240301083000+0800",
        "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|128|266016^MDC_DIM_MMHG^MDC|||||R",
        "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|82|266016^MDC_DIM_MMHG^MDC|||||R",
        "OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.0.1.3||266016^MDC_DIM_MMHG^MDC|||||R",
        "OBX|4|NM|149522^MDC_PULS_RATE^MDC|1.0.2.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
        "OBX|5|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.3.1|97|262688^MDC_DIM_PERCENT^MDC|||||R",
        "OBX|6|NM|150344^MDC_TEMP^MDC|1.0.4.1|36.8|268192^MDC_DIM_DEGC^MDC|||||R|||||||||^Oral",
        "OBX|7|NM|151562^MDC_RESP_RATE^MDC|1.0.5.1||264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
    ]

    @Test func aVitalSignsMonitorWithGenericMDCCodesAndEmptyFieldsGivesItsVitals() throws {
        let oru = try Self.oru(Self.monitor)
        #expect(oru.problems.isEmpty, "\(oru.problems)")
        #expect(oru.readings.map(\.kind) == [.bloodPressure, .heartRate, .oxygenSaturation, .bodyTemperature])
        #expect(oru.readings[0].components.map(\.kind) == [.systolicPressure, .diastolicPressure], "the empty mean was not measured")
        #expect(oru.readings.map(\.code) == ["85354-9", "MDC:149522", "MDC:150456", "MDC:150344"])
        #expect(oru.readings[3].bodySite == "Oral")
        #expect(oru.notMeasured == 2)
        #expect(oru.readings.allSatisfy { $0.utcOffsetSeconds == 8 * 3600 && $0.status == .preliminary })
    }

    @Test func anHbA1cCodedInLOINCIsTakenFromTheProfilesAnalyteTableNotRefused() throws {
        let payload = HL7Fixtures.message([HL7Fixtures.msh("A1"), "PID|||\(HL7Fixtures.patient)", "OBR|1||||||202403010830",
                                           "OBX|1|NM|4548-4^HbA1c^LN||6.8|%|||||F", "OBX|2|NM|4548-4^HbA1c^LN||51|mmol/mol|||||F"])
        let without = try HL7ORU.interpret(payload: payload, profileID: "lab").get().1
        #expect(without.readings.isEmpty && without.problems.count == 2)
        let oru = try HL7ORU.interpret(payload: payload, profileID: "lab", analytes: ShippedAnalytes.table).get().1
        #expect(oru.readings.map(\.code) == ["4548-4"] && oru.readings.map(\.kind) == [.laboratory])
        #expect(oru.problems == [.unknownUnit(setID: "2", unit: "mmol/mol", kind: "laboratory")],
                "IFCC mmol/mol has its own code (59261-8): 4548-4 in mmol/mol is refused, not re-coded")
    }
}
