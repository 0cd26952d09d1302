import Tools
import Sessions
import Transports
import Daemon
import Logging
import Testing
import TestSupport

@Suite struct LogRedactorTests {
    let redactor = LogRedactor()

    @Test func masksResidentIDsKeepingFirstFourAndLastTwo() {
        #expect(redactor.redact("patient 110101190001010014 measured") == "patient 1101************14 measured")
        #expect(redactor.redact("id=11010119000101001X.") == "id=1101************1X.")
        #expect(redactor.redact("a 11010119000101001x b") == "a 1101************1x b")
        #expect(redactor.redact("/var/lib/110101190001010014/pocgate.db") == "/var/lib/1101************14/pocgate.db")
    }

    @Test func leavesOtherNumbersAlone() {
        for text in ["1101011900010100", "11010119000101001", "meter 22040600001A0B7C", "batch 1718440200000-3",
                     "11010119000101001Y", "", "读数 5.6 mmol/L"] {
            #expect(redactor.redact(text) == text)
        }
    }

    @Test(arguments: [18, 19, 20, 34, 35, 36, 40, 54])
    func noMatchSurvivesInLongDigitRuns(length: Int) {
        let digits = String((0..<length).map { Character("\($0 % 10)") })
        let masked = redactor.redact("x\(digits)y 中文 \(digits)")
        #expect(ResidentIDs.unmasked(in: masked).isEmpty, "\(masked)")
        #expect(masked.utf8.count == "x\(digits)y 中文 \(digits)".utf8.count)
    }

    @Test func masksWholeValuesOfPatientKeys() {
        let metadata: Logger.Metadata = [
            "patient": "110101190001010014",
            "resident_id": "A1234567890",
            "patientName": "张三",
            "PATIENT_ID": .stringConvertible(1234567890123),
            "device": "/dev/ttyUSB0",
            "note": "for 110101190001010014",
            "nested": .dictionary(["x": .array(["110101190001010014"])]),
        ]
        let out = redactor.redact(metadata)
        #expect(out["patient"] == "1101************14")
        #expect(out["resident_id"] == "A123*****90")
        #expect(out["patientName"] == "**")
        #expect(out["PATIENT_ID"] == "1234*******23")
        #expect(out["device"] == "/dev/ttyUSB0")
        #expect(out["note"] == "for 1101************14")
        #expect(out["nested"] == .dictionary(["x": .array(["1101************14"])]))
    }

    @Test func sensitiveKeyNames() {
        for key in ["patient", "patient_id", "Resident-ID", "residentId", "id_card", "IDNumber", "citizen_id"] {
            #expect(LogRedactor.isSensitive(key: key), "\(key)")
        }
        for key in ["device", "reading_id", "session", "profile", "code", "error"] {
            #expect(!LogRedactor.isSensitive(key: key), "\(key)")
        }
    }
}
