import Foundation
import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// Omron HEM-790IT-class HID reports. V = input reports of the public USB captures of a real
/// monitor (openyou/libomron doc/logs/hem790it), check bytes recomputed; V3 = the notes' own
/// examples (doc/omron_protocol_notes.asciidoc); C = constructed from the documented layout.
@Suite struct OmronCodecTests {
    static func reports(_ hex: String) -> [UInt8] { Hex.parse(hex)! }

    /// V: `790IT_OneReading`, the answer to GME bank 0 index 0 (trailing bytes are stale buffer).
    static let capturedMeasurement = reports("07 4F 4B 00 08 04 15 10  07 0A 2E 00 00 81 4E 4D  03 00 00 AF 00 81 4E 4D")
    /// V: the wake-up answer, a count answer (1 measurement), `NO`, END's `OK` and `OFF`.
    static let capturedWake = reports("02 4F 4B 00 06 00 00 00")
    static let capturedCount = reports("07 4F 4B 00 00 10 00 01  01 11 4B 00 00 10 00 01")
    static let capturedRefusal = reports("02 4E 4F 00 00 11 00 02")
    static let capturedEnd = reports("02 4F 4B AF 00 81 4E 4D  05 4F 46 46 0D 0A 4E 4D")
    /// V3: the notes' measurement example as raw reports (their trailing bytes as 0).
    static let notesMeasurement = reports("07 4F 4B 00 07 01 03 00  07 06 33 00 00 70 4B 47  03 00 00 4C 00 00 00 00")

    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var verifier: DecoderVerifier<OmronResponseDecoder> { DecoderVerifier(OmronResponseDecoder()) }

    static var session: [UInt8] {
        capturedWake + capturedCount + capturedRefusal + capturedMeasurement + capturedEnd
    }

    @Test func capturedAnswersAreFoundAndClassified() {
        let replies = Self.verifier.frames(Self.session).map(\.reply)
        #expect(replies.count == 6)
        #expect(replies[0] == .acknowledged)
        #expect(replies[1] == .count(1))
        #expect(replies[2] == .refused)
        guard case .measurement = replies[3] else { Issue.record("\(replies[3])"); return }
        #expect(replies[4] == .acknowledged && replies[5] == .off)
    }

    /// Risk: a field read from the wrong byte (time, pressures, pulse) or the bank lost.
    @Test func measurementVectorsDecodeToThePanelAndPulse() throws {
        let captured = Self.verifier.frames(Self.capturedCount + Self.capturedMeasurement)
        var dump = OmronDump()
        #expect(dump.consume(captured[0]) == .bank(0, count: 1))
        guard case let .record(record) = dump.consume(captured[1]) else { Issue.record("no record"); return }
        #expect(record.time.description == "2008-04-21T16:10:46")
        let readings = try record.readings(profileID: "p", monitorSerial: "USB1", model: OmronDump.model).get()
        #expect(readings.count == 2)
        let panel = readings[0]
        #expect(panel.kind == .bloodPressure && panel.code == "85354-9" && panel.unit == "mm[Hg]" && panel.value == ExactDecimal(129))
        #expect(panel.components.map(\.code) == ["8480-6", "8462-4"])
        #expect(panel.components.map(\.value) == [ExactDecimal(129), ExactDecimal(78)])
        #expect(readings[1].kind == .heartRate && readings[1].code == "8867-4" && readings[1].value == ExactDecimal(77)
                && readings[1].unit == "/min")
        #expect(readings.allSatisfy { $0.deviceSerial == "USB1-A" && $0.flags.isEmpty })
        #expect(panel.recordKey == "2008-04-21T16:10:46|129/78/77|00|0" && readings[1].recordKey == panel.recordKey + "|pulse")

        let notes = Self.verifier.frames(Self.notesMeasurement)
        guard case let .measurement(payload) = notes[0].reply else { Issue.record("notes example not read"); return }
        let fromNotes = OmronRecord(bank: 1, payload: payload)
        #expect(fromNotes.time.description == "2007-01-03T00:06:51")
        #expect(fromNotes.systolic == 112 && fromNotes.diastolic == 75 && fromNotes.pulse == 71)
    }

    /// The golden capture: the vendor application's export says 123/78/87 and 120/73/67.
    @Test func theCapturedTwoReadingSessionMatchesTheVendorExport() throws {
        let path = Self.repo + "/DeviceProfiles/omron/hem-790it/captures/two-readings.bin"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let result = OmronDump.decodeCapture(bytes, profileID: "omron-hem-790it")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.pendingBytes == 0 && result.counters.rejectedFrames == 0)
        let panels = result.readings.filter { $0.kind == .bloodPressure }
        #expect(panels.map(\.deviceTime.description) == ["2007-01-01T00:06:38", "2007-01-02T00:08:38"])
        #expect(panels.map { $0.components.map(\.value) } == [[123, 78], [120, 73]].map { $0.map { ExactDecimal($0) } })
        #expect(result.readings.filter { $0.kind == .heartRate }.map(\.value) == [ExactDecimal(87), ExactDecimal(67)])
        #expect(result.readings.allSatisfy { $0.deviceSerial == "unknown-A" })
    }

    @Test func splitsAndGarbageGiveTheSameAnswers() {
        #expect(Self.verifier.splitFailures(Self.session).isEmpty)
        #expect(Self.verifier.garbageFailures().isEmpty)
    }

    /// Risk: a damaged measurement stored. Any flipped bit after `OK` fails the XOR check.
    @Test func aFlippedBitIsABadCheckNotAReading() {
        var damaged = Self.capturedMeasurement
        damaged[13] ^= 0x01   // the systolic byte
        var dump = OmronDump()
        let answer = Self.verifier.frames(damaged)
        guard answer.count == 1, case let .problem(problem) = dump.consume(answer[0]) else {
            Issue.record("damaged answer read: \(answer)")
            return
        }
        #expect(problem.description.contains("bad XOR check"))
    }

    /// V: a count-0 report (after the first wake-up report) and a count-8 report (while waking)
    /// are skipped; `OFF` with the notes' count 7 still ends its answer.
    @Test func emptyAndOvercountReportsAreSkippedAndOffEndsAnAnswer() {
        let stream = Self.reports("00 00 00 00 00 00 00 00  08 60 00 00 00 00 00 00") + Self.capturedWake
            + Self.reports("07 4F 46 46 0D 0A 00 00") + Self.capturedCount
        let (frames, counters) = Self.verifier.frames([stream])
        #expect(frames.map(\.reply) == [.acknowledged, .off, .count(1)])
        #expect(counters.garbageBytes == 8 && counters.malformed == 1)
    }

    /// Risk: hostile input (reports that never end an answer) held without bound or decoded
    /// at a cost above linear: every 6 full reports are dropped as one oversized answer.
    @Test func reportsThatNeverEndAnAnswerAreDroppedInBoundedSteps() {
        let full = Self.reports("07 4F 4B 00 00 00 00 00")
        let hostile = Array([[UInt8]](repeating: full, count: 6 * 4096).joined())
        var stream = FrameStream(OmronResponseDecoder())
        stream.append(hostile)
        while stream.next() != nil {}
        #expect(stream.counters.oversized == 4096 && stream.pendingCount == 0)
    }

    /// Risk: a refused answer, a damaged one or an unrelated one counted as a bank or a record.
    @Test func onlyCountAnswersAdvanceTheBank() {
        var dump = OmronDump()
        let answers = Self.verifier.frames(Self.capturedRefusal + Self.capturedWake + Self.capturedCount + Self.capturedCount)
        #expect(answers.map { dump.consume($0) } == [.refused, .control, .bank(0, count: 1), .bank(1, count: 1)])
    }

    /// Risk: a measurement with an impossible time or pressure stored as a reading.
    @Test func implausibleMeasurementsAreProblemsWithTheirBytes() {
        func payload(month: UInt8, sys: UInt8, dia: UInt8) -> [UInt8] {
            var p: [UInt8] = [0x00, 7, month, 3, 0, 6, 51, 0, 0, sys, dia, 71, 0, 0]
            p.append(p.reduce(0, ^))
            return p
        }
        let badMonth = OmronRecord(bank: 0, payload: payload(month: 13, sys: 112, dia: 75))
        let zeroDia = OmronRecord(bank: 0, payload: payload(month: 1, sys: 112, dia: 0))
        let inverted = OmronRecord(bank: 0, payload: payload(month: 1, sys: 70, dia: 75))
        for (record, expected) in [(badMonth, "impossible date"), (zeroDia, "implausible"), (inverted, "implausible")] {
            guard case let .failure(problem) = record.readings(profileID: "p", monitorSerial: "s", model: "m") else {
                Issue.record("\(record.payload) read as a reading")
                continue
            }
            #expect(problem.description.contains(expected))
        }
    }

    /// V: every input report of the public capture `1_2_07_TwoReadings` (the vendor application:
    /// version, profile, serial, weekly averages, then the memory read). The profile-text answer
    /// is 14 bytes, a multiple of 7, so it runs into the next answer: those are reported as bad
    /// answers, never read as measurements, and the two measurements come out unchanged.
    @Test func theVendorApplicationsWholeConversationYieldsTheSameTwoMeasurements() {
        let stream = Self.reports(Self.vendorConversation.joined(separator: " "))
        let result = OmronDump.decodeCapture(stream, profileID: "p")
        let panels = result.readings.filter { $0.kind == .bloodPressure }
        #expect(panels.map(\.deviceTime.description) == ["2007-01-01T00:06:38", "2007-01-02T00:08:38"])
        #expect(result.readings.count == 4 && result.pendingBytes == 0)
        #expect(result.problems.count == 3 && result.problems.allSatisfy { $0.contains("bad XOR check") })
    }

    static let vendorConversation = [
        "07 4F 4B 00 4D 37 30 38  07 30 49 54 20 32 30 37  01 4A 49 54 20 32 30 37  07 4F 4B 00 30 30 31 30",
        "07 31 30 30 30 30 30 00  07 4F 4B 00 06 00 00 00  04 00 00 00 06 00 00 00  00 00 00 00 00 00 00 00",
        "02 4F 4B 00 06 00 00 00  07 4F 4B 00 4D 37 30 38  07 30 49 54 20 32 30 37  01 4A 49 54 20 32 30 37",
        "07 4F 4B 00 30 30 31 30  07 31 30 30 30 30 30 00  07 4F 4B 00 06 00 00 00  04 00 00 00 06 00 00 00",
        "00 00 00 00 00 00 00 00  08 60 00 00 00 00 00 00  02 4F 4B 00 06 00 00 00  07 4F 4B 00 4D 37 30 38",
        "07 30 49 54 20 32 30 37  01 4A 49 FF 20 32 30 37  07 4F 4B 00 30 30 31 30  07 31 30 30 30 30 30 00",
        "07 4F 4B 00 80 03 06 0C  05 1F 00 00 00 96 06 0C  07 4F 4B 00 00 14 00 02  01 16 4B 00 00 14 00 02",
        "07 4F 4B 00 07 01 01 00  07 06 26 00 00 7B 4E 57  03 00 00 45 00 7B 4E 57  02 4E 4F 45 00 7B 4E 57",
        "07 4F 4B 00 07 01 02 00  07 08 26 00 00 78 49 43  03 00 00 58 00 78 49 43  02 4F 4B 58 00 78 49 43",
        "05 4F 46 46 0D 0A 49 43  00 00 00 00 00 00 00 00  08 60 00 00 00 00 00 00  02 4F 4B 46 0D 0A 49 43",
        "07 4F 4B 00 4D 37 30 38  07 30 49 54 20 32 30 37  01 4A 49 54 20 32 30 37  07 4F 4B 00 FF FC 00 00",
        "05 00 00 00 00 03 00 00  07 4F 4B 00 FF FC 00 00  05 00 00 00 00 03 00 00  07 4F 4B 00 FF FD 00 00",
        "05 00 00 00 00 02 00 00  07 4F 4B 00 FF FD 00 00  05 00 00 00 00 02 00 00  07 4F 4B 00 FF FE 00 00",
        "05 00 00 00 00 01 00 00  07 4F 4B 00 FF FE 00 00  05 00 00 00 00 01 00 00  07 4F 4B 00 FF FF 00 00",
        "05 00 00 00 00 00 00 00  07 4F 4B 00 FF FF 00 00  05 00 00 00 00 00 00 00  07 4F 4B 00 80 00 00 00",
        "05 00 00 00 00 80 00 00  07 4F 4B 00 80 00 00 00  05 00 00 00 00 80 00 00  07 4F 4B 00 80 01 00 00",
        "05 00 00 00 00 81 00 00  07 4F 4B 00 80 01 00 00  05 00 00 00 00 81 00 00  07 4F 4B 00 80 02 00 00",
        "05 00 00 00 00 82 00 00  07 4F 4B 00 80 02 00 00  05 00 00 00 00 82 00 00  07 4F 4B 00 80 03 06 0C",
        "05 1F 00 00 00 96 06 0C  07 4F 4B 00 80 03 06 0C  05 1F 61 4C 4D F6 06 0C  02 4F 4B 4C 4D F6 06 0C",
        "05 4F 46 46 0D 0A 06 0C",
    ]
}
