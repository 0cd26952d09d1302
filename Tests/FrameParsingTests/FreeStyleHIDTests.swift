import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// The FreeStyle shared HID protocol: messages, the allow-list, text replies and the record
/// lists of the Neo, InsuLinx and Libre.
@Suite struct FreeStyleHIDTests {
    /// V: freestyle-hid's test: type 0x17, length 7, "command", zero padding (64 bytes).
    @Test func anOutgoingMessageIsTypeLengthPayloadAndZeros() {
        let m = FreeStyleHIDMessage(type: 0x17, payload: Array("command".utf8))
        let report = m.outputReport!
        #expect(report.count == 65 && report[0] == 0x00)
        #expect(Array(report[1...]) == [0x17, 0x07] + Array("command".utf8) + [UInt8](repeating: 0, count: 55))
        #expect(FreeStyleHIDMessage.parse(report: report[1...]) == m)
    }

    /// Risk: a length byte beyond 62 or beyond the report read past it.
    @Test func impossibleLengthBytesAreRefused() {
        var r = [UInt8](repeating: 0x41, count: 64)
        r[1] = 63
        #expect(FreeStyleHIDMessage.parse(report: r[...]) == nil)
        #expect(FreeStyleHIDMessage.parse(report: [0x60, 5, 0x41][...]) == nil)
        #expect(FreeStyleHIDMessage.parse(report: [0x60][...]) == nil)
        #expect(FreeStyleHIDMessage.parse(report: [0x22, 1, 0x07][...]) == FreeStyleHIDMessage(type: 0x22, payload: [7]))
    }

    /// V: the init pairs of the shared notes.
    @Test func initialisationIsTheFourPayloadlessQueries() {
        #expect(FreeStyleHIDCommand.initialisation.map { Array($0.report[1...2]) } == [[0x04, 0], [0x05, 0], [0x15, 0], [0x01, 0]])
        #expect(FreeStyleHIDCommand.replyType[.initialize] == 0x71 && FreeStyleHIDCommand.replyType[.query04] == 0x34)
    }

    static func report(_ type: UInt8, _ text: String) -> [UInt8] {
        FreeStyleHIDMessage(type: type, payload: Array(text.utf8)).outputReport!
    }

    /// Risk: a command that sets the clock, names the patient, resets or erases the meter leaves.
    @Test func onlyReadCommandsPassTheAllowList() {
        for command in FreeStyleHIDCommand.allCases {
            #expect(FreeStyleHIDCommand.mayTransmit(command.report), "\(command)")
            if command.message.type == 0x60 { #expect(command.rawValue.hasSuffix("?")) }
        }
        let dangerous = ["$date,6,15,24", "$time,9,5", "$date,1,1,00", "$time,0,0", "$ptname,X", "$ptid,1", "$resetpatient",
                         "$swreset", "$lang,2", "$langset,2", "$ntsound,1,1", "$btsound,1,1", "$getrmndrst,0", "$history?",
                         "$date?\r", "$date", "$time", "$serlnum", "$result", "$result?x", " $result?", "$RESULT?"]
        for text in dangerous {
            #expect(!FreeStyleHIDCommand.mayTransmit(Self.report(0x60, text)), "\(text)")
            #expect(!FreeStyleHIDCommand.mayTransmit(Self.report(0x21, text)), "\(text) as 0x21")
        }
        for type in 0...255 where ![0x01, 0x04, 0x05, 0x15].contains(type) {
            #expect(!FreeStyleHIDCommand.mayTransmit(FreeStyleHIDMessage(type: UInt8(type), payload: []).outputReport!))
        }
        // The Libre 2 encryption setup (0x14 0x11) and a command with trailing bytes in the padding.
        #expect(!FreeStyleHIDCommand.mayTransmit(Self.report(0x14, "\u{11}")))
        var padded = FreeStyleHIDCommand.date.report
        padded[40] = 0x01
        #expect(!FreeStyleHIDCommand.mayTransmit(padded))
    }

    static func assemble(_ bytes: [UInt8]) -> FreeStyleTextReply.Outcome? {
        var reply = FreeStyleTextReply()
        for r in HIDMeterReports.freestyle(type: 0x60, bytes) {
            if let o = reply.append(Array(FreeStyleHIDMessage.parse(report: r[...])!.payload)) { return o }
        }
        return nil
    }

    @Test func aTextReplyOverSeveralMessagesIsCheckedAndReleased() {
        #expect(Self.assemble(HIDMeterReports.textReply("JCMV291-T1234\r\n")) == .ok(Array("JCMV291-T1234\r\n".utf8)))
        #expect(Self.assemble(HIDMeterReports.textReply("", failed: true)) == .failed)
        var bad = HIDMeterReports.textReply("6,15,24\r\n")
        bad[bad.count - 13] ^= 0x01   // a checksum digit
        guard case .problem(.badChecksum) = Self.assemble(bad) else { Issue.record("checksum not checked"); return }
    }

    /// Risk: an endless reply with no trailer grows without bound.
    @Test func aReplyWithoutTrailerIsRefusedAtTheBound() {
        var reply = FreeStyleTextReply()
        let chunk = [UInt8](repeating: 0x41, count: 62)
        var outcome: FreeStyleTextReply.Outcome?
        var appended = 0
        while outcome == nil {
            outcome = reply.append(chunk)
            appended += 1
        }
        #expect(outcome == .problem(.replyTooLong(limit: FreeStyleTextReply.maximumLength)))
        #expect(appended * 62 > FreeStyleTextReply.maximumLength && reply.bytes.isEmpty)
    }

    static let neo = [
        "7,101,6,15,24,8,30,0,120,0,0,0,0,0,0,0,0,0,0",
        "9,102,6,15,24,8,40,0,18,0",
        "10,103,6,15,24,8,45,0,1,4,0,0,0",
        "7,104,6,15,24,9,0,0,HI,0,0,0,0,0,0,0,0,0,0",
        "7,105,255,255,255,255,255,0,99,0,0,0,0,0,0,0,0,0,0",
    ]

    static func list(_ records: [String]) -> [FreeStyleRecordList.Record] {
        let message = Array(HIDMeterReports.recordList(records).utf8)
        guard case let .success(list) = FreeStyleRecordList.parse(message) else { return [] }
        return list
    }

    @Test func neoGlucoseIsStoredKetoneHIAndBadClockAreReportedInsulinSkipped() {
        let out = Self.list(Self.neo).map { FreeStyleHIDModel.precisionNeo.reading($0, profileID: "p", serial: "S") }
        guard case let .reading(r) = out[0] else { Issue.record("\(out[0])"); return }
        #expect(r.value == ExactDecimal(120) && r.unit == "mg/dL" && r.code == "41653-7" && r.kind == .glucose)
        #expect(r.deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(r.recordKey == "101|2024-06-15T08:30:00|120")
        guard case .notStored = out[1], case .notAResult = out[2], case .notStored = out[3], case .notStored = out[4] else {
            Issue.record("\(out)")
            return
        }
    }

    @Test func insulinxGlucoseValueIsTheFourteenthField() {
        let list = Self.list(["0,7,3,2,23,14,5,0,0,0,0,0,0,154,0,0"])
        guard case let .reading(r) = FreeStyleHIDModel.insulinx.reading(list[0], profileID: "p", serial: "S") else {
            Issue.record("not read")
            return
        }
        #expect(r.value == ExactDecimal(154) && r.deviceTime == LocalDateTime(year: 2023, month: 3, day: 2, hour: 14, minute: 5))
    }

    static let libre = [
        "2310,2,6,15,24,7,55,12,1,0,0,0,104,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"",
        "2311,2,6,15,24,8,10,3,1,2,0,0,131,1,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"",
        "2312,2,6,15,24,8,20,0,1,1,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"",
        "2313,5,6,15,24,9,0,0,1,6,15,24,8,59,0,0,0,0,0,0",
        "2314,2,6,15,24,9,30,0,1,0,0,1,20,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,32768,\"\",\"\",\"\",\"\",\"\",\"\"",
    ]

    /// Risk: a sensor scan (interstitial) stored as capillary blood glucose, or an error record stored.
    @Test func libreBloodStripIsStoredScansKetonesAndErrorsAreNot() {
        let out = Self.list(Self.libre).map { FreeStyleHIDModel.libre.reading($0, profileID: "p", serial: "S") }
        guard case let .reading(r) = out[0] else { Issue.record("\(out[0])"); return }
        #expect(r.value == ExactDecimal(104) && r.code == "41653-7")
        #expect(r.deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 7, minute: 55, second: 12))
        guard case let .notStored(scan) = out[1], case .notStored = out[2], case .notAResult = out[3], case .notStored = out[4] else {
            Issue.record("\(out)")
            return
        }
        #expect(scan.description.contains("interstitial"))
    }

    /// Risk: a list whose count or checksum does not match releases records.
    @Test func aRecordListReleasesNothingUnlessCountAndChecksumMatch() {
        #expect(Self.list(Self.neo).count == 5)
        #expect(FreeStyleRecordList.parse(Array("Log Empty\r\n".utf8)) == .success([]))
        let good = HIDMeterReports.recordList(Array(Self.neo[0...1]))
        let miscounted = good.replacingOccurrences(of: "\r\n2,", with: "\r\n3,")
        guard case .failure(.countMismatch) = FreeStyleRecordList.parse(Array(miscounted.utf8)) else { Issue.record("count"); return }
        let damaged = good.replacingOccurrences(of: "120", with: "128")
        guard case .failure(.badChecksum) = FreeStyleRecordList.parse(Array(damaged.utf8)) else { Issue.record("sum"); return }
        guard case .failure(.malformedRecords) = FreeStyleRecordList.parse(Array("7,1,2\r\n".utf8)) else { Issue.record("trailer"); return }
    }

    @Test func theClockRepliesGiveTheMeterClockAnd255GivesNone() {
        #expect(FreeStyleHIDModel.clock(date: Array("6,15,24\r\n".utf8), time: Array("9,5\r\n".utf8))
                == LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        #expect(FreeStyleHIDModel.clock(date: Array("255,255,255\r\n".utf8), time: Array("255,255\r\n".utf8)) == nil)
    }

    /// Property: a capture of the meter's reports decodes alike however it is split.
    @Test func randomSplitsOfACaptureDecodeAlike() {
        var bytes: [UInt8] = []
        bytes += HIDMeterReports.freestyle(type: 0x06, Array("JCMV291-T1234".utf8) + [0]).flatMap { $0 }
        for text in ["JCMV291-T1234\r\n", "6,15,24\r\n", "9,5\r\n", HIDMeterReports.recordList(Self.neo)] {
            for (i, r) in HIDMeterReports.freestyle(type: 0x60, HIDMeterReports.textReply(text)).enumerated() {
                bytes += r
                if i % 3 == 2 { bytes += [0x22, 0x01, 0x05] + [UInt8](repeating: 0, count: 61) }
            }
        }
        var once = FreeStyleHIDCaptureStream(profileID: "p", model: .precisionNeo)
        let whole = once.collect(bytes)
        #expect(whole.readings.count == 1 && whole.problems.count == 3 && whole.deviceSerial == "JCMV291-T1234")
        #expect(whole.deviceClock == LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        var rng = SeededRandom(seed: 3)
        for _ in 0..<100 {
            var stream = FreeStyleHIDCaptureStream(profileID: "p", model: .precisionNeo)
            var readings: [Reading] = []
            var problems: [String] = []
            var i = 0
            while i < bytes.count {
                let end = min(bytes.count, i + Int(rng.next() % 130) + 1)
                stream.feed(Array(bytes[i..<end]), receivedAt: LocalDateTime(secondsSinceEpoch: 0)) { e in
                    switch e { case let .reading(r): readings.append(r); case let .problem(p): problems.append(p) }
                }
                i = end
            }
            _ = stream.finish { _ in }
            #expect(readings == whole.readings && problems == whole.problems)
        }
    }

    /// Risk: hostile record lists (megabytes of separators, one huge record, no trailer) trap or
    /// release records. Each parse is one pass over its input.
    @Test func hostileRecordListsAreRefusedOrReadWithoutTrapping() {
        let crlf = [UInt8](repeating: 0, count: 1 << 20).enumerated().map { $0.offset % 2 == 0 ? UInt8(0x0D) : UInt8(0x0A) }
        guard case .failure = FreeStyleRecordList.parse(crlf) else { Issue.record("CR LF only accepted"); return }
        let commas = [UInt8](repeating: UInt8(ascii: ","), count: 1 << 20) + Array("\r\n".utf8)
        guard case .failure = FreeStyleRecordList.parse(commas) else { Issue.record("commas accepted"); return }
        let wide = "7," + String(repeating: "x,", count: 99_999) + "1"
        let list = Self.list([wide])
        #expect(list.count == 1 && list[0].fields.count == 100_001)
        guard case .notStored = FreeStyleHIDModel.precisionNeo.reading(list[0], profileID: "p", serial: "S") else {
            Issue.record("a 100 000-field record read as a result")
            return
        }
        guard case .failure = FreeStyleRecordList.parse(Array("99999999999999999999999,00000000\r\n".utf8)) else {
            Issue.record("an absurd count accepted")
            return
        }
    }
}
