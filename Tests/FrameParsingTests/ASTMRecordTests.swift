import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// E1394 records: delimiters declared by the header, escapes, repeats and components, and the
/// mapping of results to readings. V = public source, C = constructed from the documented layout.
@Suite struct ASTMRecordTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    static let contourHeader = "H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|1714||||||1|201909221304"   // V glucometerutils

    /// Runs records through a transfer; returns readings and problems.
    static func run(_ records: [String]) -> (readings: [Reading], problems: [ASTMProblem], transfer: ASTMTransfer) {
        var t = ASTMTransfer(profileID: "p", analytes: ShippedAnalytes.table)
        var readings: [Reading] = []
        var problems: [ASTMProblem] = []
        for r in records {
            switch t.consume(bytes(r)) {
            case let .result(reading): readings.append(reading)
            case let .problem(p): problems.append(p)
            default: break
            }
        }
        return (readings, problems, t)
    }

    @Test func standardDelimitersFieldsRepeatsAndComponents() {
        let r = ASTMRecord(Self.bytes("R|1|^^^Glucose^x|5.6|mmol/L|3.9\\6.1|L\\>|"), delimiters: .standard)
        #expect(r.type == UInt8(ascii: "R"))
        #expect(r.fields.count == 8)
        #expect(r.text(3, component: 4) == "Glucose" && r.text(3, component: 5) == "x")
        #expect(r.repeats(6).map { $0.map { String(decoding: $0, as: UTF8.self) } } == [["3.9"], ["6.1"]])
        #expect(r.text(7, repeat: 1) == ">")
        #expect(r.text(8) == "" && r.text(42) == "" && r.text(3, component: 9) == "")
    }

    @Test func headerDeclaresCustomDelimitersAndEscapesFollowThem() {
        let header = "H#~*%###PocLab*2.1*SN%F%42"                                                    // C
        let d = ASTMDelimiters(header: Self.bytes(header))
        #expect(d == ASTMDelimiters(field: UInt8(ascii: "#"), repeat: UInt8(ascii: "~"), component: UInt8(ascii: "*"), escape: UInt8(ascii: "%")))
        let h = ASTMRecord(Self.bytes(header), delimiters: d!)
        #expect(h.text(2) == "~*%")
        #expect(h.text(5, component: 3) == "SN#42")
        let r = ASTMRecord(Self.bytes("R#1#***Note#A%F%B%S%C%R%D%E%E%X0D%#x~y*z"), delimiters: d!)
        #expect(r.text(4) == "A#B*C~D%E%X0D%")
        #expect(r.text(5, repeat: 1, component: 2) == "z")
        // Standard escapes with the standard delimiters; escaping round-trips.
        let s = ASTMDelimiters.standard
        #expect(s.unescape(ArraySlice(Self.bytes("1&F&2&S&3&R&4&E&5"))) == Self.bytes("1|2^3\\4&5"))
        #expect(s.unescape(ArraySlice(s.escaped(Self.bytes("a|b^c\\d&e")))) == Self.bytes("a|b^c\\d&e"))
        #expect(ASTMDelimiters(header: Self.bytes("H||^&")) == nil)
        #expect(ASTMDelimiters(header: Self.bytes("HA\\^&")) == nil)
    }

    @Test func customDelimitersCarryThroughToReadings() {
        let (readings, problems, t) = Self.run([
            "H#~*%###PocLab*2.1*SN42#########20240615090000",                                      // C
            "P#1##PID%S%77",
            "R#1#***Cholesterol#5.2#mmol/L#3.0 to 5.0#H##F####20240615083000",
            "L#1#N",
        ])
        #expect(problems.isEmpty)
        let r = readings.first
        #expect(r?.kind == .cholesterol && r?.value == ExactDecimal(mantissa: 52, scale: 1) && r?.unit == "mmol/L")
        #expect(r?.code == "14647-2" && r?.flags == [.abnormalHigh])
        #expect(r?.deviceSerial == "SN42" && r?.deviceModel == "PocLab")
        #expect(r?.patientID == "PID*77")
        #expect(t.clock == LocalDateTime(year: 2024, month: 6, day: 15, hour: 9))
        #expect(r?.deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
    }

    @Test func contourHeaderAndResultsFromPublishedRecords() {
        let (readings, problems, t) = Self.run([
            Self.contourHeader,
            "P|1",
            "R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150",                                       // V Tidepool
            "R|8|^^^Glucose|133|mg/dL^P||B/X||201202052034",                                          // V glucometerutils
            "L|1|N",
        ])
        #expect(problems.isEmpty)
        #expect(t.serial == "7390-2336773" && t.model == "Bayer7390" && t.dialect == .contour)
        #expect(t.clock == LocalDateTime(year: 2019, month: 9, day: 22, hour: 13, minute: 4))
        #expect(readings.map(\.value) == [ExactDecimal(93), ExactDecimal(133)])
        #expect(readings.map(\.flags) == [[.afterMeal], [.beforeMeal]])
        #expect(readings.map(\.deviceTime) == [LocalDateTime(year: 2015, month: 5, day: 26, hour: 11, minute: 50),
                                               LocalDateTime(year: 2012, month: 2, day: 5, hour: 20, minute: 34)])
        #expect(readings.allSatisfy { $0.code == "41653-7" && $0.patientID == nil && $0.deviceSerial == "7390-2336773" })
        #expect(readings.first?.recordKey == "2015-05-26T11:50:00|glucose|93|mg/dL|after-meal|0")
    }

    @Test func contourControlAndOutOfRangeMarkers() {
        let (readings, problems, _) = Self.run([
            Self.contourHeader,
            "R|1|^^^Glucose|110|mg/dL^P||C||201505261150",                                             // C: control (Next)
            "R|2|^^^Glucose|600|mg/dL^P||>||201505261151",                                             // C: above range
            "R|3|^^^Glucose|HI|mg/dL^P||||201505261152",                                               // C: bound from V=10600
            "R|4|^^^Glucose|98|mg/dL^P||||E|||201505261153",                                            // C: older layout, control E
        ])
        #expect(problems.isEmpty)
        #expect(readings.map(\.flags) == [[.controlSolution], [.aboveRange], [.aboveRange], [.controlSolution]])
        #expect(readings.map(\.value) == [ExactDecimal(110), ExactDecimal(600), ExactDecimal(600), ExactDecimal(98)])
        #expect(readings[3].deviceTime == LocalDateTime(year: 2015, month: 5, day: 26, hour: 11, minute: 53))
    }

    @Test func e1394FlagsBoundsOrderTimeControlAndPatient() {
        let (readings, problems, _) = Self.run([
            "H|\\^&|||LipidPro^1.0^LP-0001|||||||P|1|20240615090000",                                 // C
            "P|1|PAT-001",
            "O|1|S1||^^^TC|R||20240615081500",
            "R|1|^^^Triglycerides|>500|mg/dL||>||F",
            "R|2|^^^UA|3.1|mg/dL||L||F||||20240615082000",
            "R|3|^^^Glucose|<20|mg/dL||<||F",
            "P|2|PAT-002",
            "O|1|QC1||^^^CHOL|R||20240615084000||||Q",
            "R|1|^^^CHOL|200|mg/dL||||F",
            "L|1|N",
        ])
        #expect(problems.isEmpty)
        #expect(readings.map(\.kind) == [.triglycerides, .uricAcid, .glucose, .cholesterol])
        #expect(readings.map(\.flags) == [[.aboveRange], [.abnormalLow], [.belowRange], [.controlSolution]])
        #expect(readings.map(\.value) == [ExactDecimal(500), ExactDecimal(mantissa: 31, scale: 1), ExactDecimal(20), ExactDecimal(200)])
        #expect(readings.map(\.patientID) == ["PAT-001", "PAT-001", "PAT-001", "PAT-002"])
        #expect(readings[0].deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 15))
        #expect(readings[1].deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 20))
        #expect(readings[3].deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 40))
    }

    @Test func unknownAnalytesUnitsAndValuesAreProblemsNotGuesses() {
        let (readings, problems, _) = Self.run([
            "H|\\^&|||LipidPro^1.0^LP-0001",
            "R|1|^^^Fructosamine|261|umol/L||||F||||20240615082000",
            "R|2|^^^Glucose|5.6|furlongs||||F||||20240615082000",
            "R|3|^^^Glucose|HI|mg/dL||||F||||20240615082000",
            "R|4|^^^Glucose|5,6|mmol/L||||F||||20240615082000",
            "R|5|^^^Glucose|5.6|mmol/L||||F",
            "R|6|^^^Ketone|1.2|mg/dL||||F||||20240615082000",
        ])
        #expect(readings.isEmpty)
        #expect(problems.count == 6)
        #expect(problems.first == .unknownAnalyte("Fructosamine"))
        #expect(problems.dropFirst().first == .unknownUnit(analyte: "Glucose", unit: "furlongs"))
        #expect(problems.allSatisfy { $0.concernsResult })
        guard case .noBound = problems[2], case .badValue = problems[3], case .noTime = problems[4], case .noCode = problems[5] else {
            Issue.record("unexpected problems: \(problems)")
            return
        }
    }

    @Test func recordKeyCountsOccurrencesAndRestartsWithEachHeader() {
        let message = [Self.contourHeader, "R|1|^^^Glucose|93|mg/dL^P||||201505261150", "R|2|^^^Glucose|93|mg/dL^P||||201505261150", "L|1|N"]
        let (readings, _, _) = Self.run(message + message)
        #expect(readings.map(\.recordKey) == ["2015-05-26T11:50:00|glucose|93|mg/dL||0", "2015-05-26T11:50:00|glucose|93|mg/dL||1",
                                              "2015-05-26T11:50:00|glucose|93|mg/dL||0", "2015-05-26T11:50:00|glucose|93|mg/dL||1"])
    }

    @Test func unitTextsMapToUCUMThroughTheShippedTable() {
        let t = ShippedAnalytes.table
        #expect(t.ucum("mg/dl") == "mg/dL" && t.ucum("MMOL/L") == "mmol/L")
        #expect(t.ucum("µmol/L") == "umol/L" && t.ucum("umol/l") == "umol/L" && t.ucum("%") == "%")
        #expect(t.ucum("mg") == nil)
        #expect(t.analyte(named: "Uric Acid")?.kind == .uricAcid && t.analyte(named: "TG")?.kind == .triglycerides)
        #expect(t.analyte(named: "HbA1c")?.id == "hba1c")
    }
}
