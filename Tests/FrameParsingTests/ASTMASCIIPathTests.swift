import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// Records of plain ASCII text are read by offset into the record; records with any other
/// byte take the general path (`ASTMRecord`). Both must give the same readings and problems:
/// each case here runs once as ASCII and once with a non-ASCII operator name in a field the
/// mapping never reads (R.11, P.6, O.11), and the answers are compared.
@Suite struct ASTMASCIIPathTests {
    static let header = "H|\\^&|||LipidPro^2.1^LP-0042|||||||P|1|20240615091000"
    static let contour = ASTMRecordTests.contourHeader

    /// What a transfer answered for each record, with the operator's name made ASCII again.
    static func answers(_ records: [String], nonASCII: Bool) -> [String] {
        var t = ASTMTransfer(profileID: "p", analytes: ShippedAnalytes.table)
        return records.map { record in
            let text = nonASCII ? record.replacingOccurrences(of: "Zoe", with: "Zoë") : record
            switch t.consume(Array(text.utf8)) {
            case var .result(r):
                r.raw = []
                return "reading \(r.recordKey) \(r.identity ?? "") \(r.kind) \(r.code) \(r.value) \(r.unit) \(r.deviceTime) "
                    + "\(r.flags) \(r.status) \(String(describing: r.valueHold)) \(r.patientID ?? "-") \(r.deviceSerial) \(r.deviceModel)"
            case let .problem(p): return "problem \(p)".replacingOccurrences(of: "Zoë", with: "Zoe")
            case let other: return "\(other)"
            }
        }
    }

    static func expectSamePaths(_ records: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(records.contains { $0.contains("Zoe") }, sourceLocation: sourceLocation)
        #expect(answers(records, nonASCII: false) == answers(records, nonASCII: true), sourceLocation: sourceLocation)
    }

    @Test func resultStatusesValuesFlagsAndTimesReadAlikeOnBothPaths() {
        var records = [Self.header, "P|1|PAT-1||ALT-2|Zoe", "O|1|S1||^^^TC|R||20240615083000|||Zoe"]
        for (value, flags, status, times) in [
            ("5.62", "N", "F", "||20240615083000"), ("5.60", "H\\>", "", "||"), ("<3.9", "L", "P", "|202406150900|"),
            ("+5.6", "HH\\LL", "C", "||20240615083015"), ("HI", "", "F", "||"), ("LO", "<", "F", "||"),
            ("high", "", "W", "||"), ("5,6", "", "F", "||"), ("5.6", "", "X", "||"), ("5.6", "", "I", "||"),
            ("5.6", "", "Z", "||"), ("5.6", " H ", " F ", "||2024061508"), ("5.6", "", "F", "||202406150830xx"),
            (" 7 ", "", "S", "|20240615083000|"), ("5.6", "", "V", "||20241315083000"), ("-1", "", "F", "||"),
        ] {
            records.append("R|1|^^^TC|\(value)|mmol/L||\(flags)||\(status)||Zoe\(times)")
        }
        records += [
            "R|2|^^^TC|5.6|mmol/L||N||F||Zoe||20240615083000",        // the same result again: occurrence 1
            "R|3|^^^&S&|5.6|mmol/L||N||F||Zoe||20240615083000",       // an escape in the test id
            "R|4|^^^GLU|5.6|mmol&S&L||N||F||Zoe||20240615083000",     // an escape in the unit
            "R|5|^^^UNKNOWN|5.6|mmol/L||N||F||Zoe||20240615083000",
            "R|6|^^^GLU|5.6|furlongs||N||F||Zoe||20240615083000",
            "R|7|||5.6|mmol/L||N||F||Zoe||20240615083000",
            "R|8|^^^ GLU |5.6| mmol/L ||N||F||Zoe||20240615083000",
            "P|2||||Zoe",                                                // no patient id: the order's time is cleared
            "R|9|^^^GLU|5.6|mmol/L||N||F||Zoe",
            "O|2|S2||^^^TC|R||202406150930|||Zoe||Q",                   // a control order
            "R|10|^^^GLU|5.6|mmol/L||N||F||Zoe",
            "L|1|N",
        ]
        Self.expectSamePaths(records)
    }

    @Test func contourMarkersAndMeasuringRangeReadAlikeOnBothPaths() {
        Self.expectSamePaths([
            Self.contour, "P|1||||Zoe",
            "R|1|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150|Zoe",
            "R|2|^^^Glucose|HI|mg/dL^P||B/>//C||201505261150|Zoe",
            "R|3|^^^Glucose|LO|mg/dL^P||<||E|Zoe|201505261151",
            "R|4|^^^Glucose|133|mg/dL^P||B/X|A|201202052034|Zoe",
            "L|1|N",
        ])
    }

    @Test func customDelimitersReadAlikeOnBothPaths() {
        Self.expectSamePaths([
            "H#~*%###PocLab*2.1*SN%F%42#########20240615090000",
            "P#1##PID%S%77###Zoe",
            "R#1#***Cholesterol#5.2#mmol/L#3.0 to 5.0#H~>##F##Zoe##20240615083000",
            "R#2#***Cholesterol#5.2#mmol/L#3.0 to 5.0#H~>##F##Zoe##20240615083000",
            "L#1#N",
        ])
    }
}
