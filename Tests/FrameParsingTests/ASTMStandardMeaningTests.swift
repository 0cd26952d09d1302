import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// What E1394 fields mean (result status field 9, result times fields 12/13), the profile's
/// analyte table and character set, and replay that matches a live session; each test named
/// after the clinical error it prevents (C: records built from the E1394 layout).
@Suite struct ASTMStandardMeaningTests {
    static let header = "H|\\^&|||POCT-A^1.0^PA-0001"

    static func run(_ records: [String], charset: ASTMCharset = .utf8) -> (readings: [Reading], problems: [ASTMProblem], skipped: Int) {
        var t = ASTMTransfer(profileID: "p", analytes: ShippedAnalytes.table, charset: charset)
        var readings: [Reading] = [], problems: [ASTMProblem] = [], skipped = 0
        for r in records {
            switch t.consume(Array(r.utf8)) {
            case let .result(reading): readings.append(reading)
            case let .problem(p): problems.append(p)
            case .notAResult: skipped += 1
            default: break
            }
        }
        return (readings, problems, skipped)
    }

    @Test func aResultThatCouldNotBeDoneIsNotAReading() {
        let out = Self.run([Self.header, "R|1|^^^Glucose|0|mmol/L||||X||||20240615082000",
                            "R|2|^^^Glucose|0|mmol/L||||I||||20240615082000"])
        #expect(out.readings.isEmpty && out.problems.isEmpty && out.skipped == 2)
    }

    @Test func aCorrectionKeepsItsStatusAndTheIdentityOfTheResultItAmends() {
        let out = Self.run([Self.header, "P|1|PAT-9", "R|1|^^^Glucose|5.6|mmol/L||||F||||20240615082000",
                            "R|1|^^^Glucose|6.5|mmol/L||||C||||20240615082000"])
        #expect(out.readings.map(\.status) == [.final, .corrected])
        #expect(out.readings[0].identity == out.readings[1].identity && out.readings[0].recordKey != out.readings[1].recordKey)
    }

    @Test func aResultTheDeviceFlagsAsQuestionableIsHeld() {
        let out = Self.run([Self.header, "R|1|^^^Glucose|5.6|mmol/L||||W||||20240615082000"])
        #expect(out.readings.map(\.valueHold) == [.deviceWarning])
    }

    @Test func aMalformedResultTimeIsAProblemNotReplacedByTheOrdersTime() {
        let out = Self.run([Self.header, "O|1|S1||^^^Glucose|||20240615080000",
                            "R|1|^^^Glucose|5.6|mmol/L||||F||||2024-06-15 08:20"])
        #expect(out.readings.isEmpty)
        guard case .badTime = out.problems.first else { Issue.record("\(out.problems)"); return }
    }

    @Test func aPlusSignedValueReadsAsHL7ReadsIt() {
        let out = Self.run([Self.header, "R|1|^^^Glucose|+5.6|mmol/L||||F||||20240615082000",
                            "R|2|^^^Glucose|++5.6|mmol/L||||F||||20240615082000"])
        #expect(out.readings.map(\.value) == [ExactDecimal(mantissa: 56, scale: 1)])
        guard case .badValue = out.problems.first else { Issue.record("\(out.problems)"); return }
    }

    @Test func anHbA1cFromAPOCTAnalyzerIsCodedByTheAnalyteTableNotRefused() {
        let out = Self.run([Self.header, "R|1|^^^HbA1c|6.8|%||||F||||20240615082000",
                            "R|2|^^^HbA1c|51|mmol/mol||||F||||20240615082000",
                            "R|3|^^^ACR|34|mg/g||||F||||20240615082000"])
        #expect(out.problems.isEmpty, "\(out.problems)")
        #expect(out.readings.map(\.code) == ["4548-4", "59261-8", "14959-1"])
        #expect(out.readings.map(\.kind) == [.laboratory, .laboratory, .laboratory])
    }

    @Test func aLatin1NameIsReadNotReplacedAndInvalidUTF8IsAProblem() {
        // 0xE9 is é in ISO 8859-1 and not valid UTF-8.
        var t = ASTMTransfer(profileID: "p", analytes: ShippedAnalytes.table, charset: .latin1)
        _ = t.consume(Array(Self.header.utf8))
        _ = t.consume(Array("P|1|REN".utf8) + [0xE9])
        #expect(t.patientID == "RENé")
        var u = ASTMTransfer(profileID: "p", analytes: ShippedAnalytes.table)
        _ = u.consume(Array(Self.header.utf8))
        #expect(u.consume(Array("P|1|REN".utf8) + [0xE9]) == .problem(.invalidText(charset: "utf-8", record: "P")))
        #expect(u.patientID == nil)
        let result = u.consume(Array("R|1|^^^Glucose|5.6|mmol/L||||F||||20240615082000".utf8))
        #expect(result == .problem(.invalidText(charset: "utf-8", record: "P")), "no result goes to a patient that could not be read")
    }

    @Test func replayStartsEachTransferFromNothingAsALiveSessionDoes() {
        // Transfer 1 names a patient and ends without L; transfer 2 sends a result without a P record.
        var wire: [UInt8] = [0x05]
        for f in ASTMConversation.frames([Self.header, "P|1|PAT-1"], maxText: 200) { wire += f }
        wire += [0x04, 0x05]
        for f in ASTMConversation.frames([Self.header, "R|1|^^^Glucose|5.6|mmol/L||||F||||20240615082000", "L|1|N"], maxText: 200) {
            wire += f
        }
        wire.append(0x04)
        let result = ASTMTransfer.decodeCapture(wire, profileID: "p", analytes: ShippedAnalytes.table)
        #expect(result.readings.count == 1)
        #expect(result.readings.first?.patientID == nil, "the first transfer's patient is not carried into the second")
    }
}
