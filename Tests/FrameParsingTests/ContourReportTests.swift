import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// Contour Next HID reports: de-framing, the three reports the gateway may send, and replay of
/// a whole transfer through the unchanged ASTM receiver.
@Suite struct ContourReportTests {
    /// V: glucometerutils test_contourusb.py, the meter's reply to EOT (EOT, header frame, ENQ).
    static let startReply: [UInt8] = [0x04, 0x02] + Array(("1H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|"
        + "A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|1714||||||1|201909221304").utf8)
        + [0x0D, 0x17] + Array("D7".utf8) + [0x0D, 0x0A, 0x05]

    static let records = [
        "H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|2||||||1|201909221304",
        "P|1",
        "R|1|^^^Glucose|133|mg/dL^P||B/X||201202052034",   // V: glucometerutils test result record
        "R|2|^^^Glucose|98|mg/dL^P||A||201909211815",
        "L|1||N",
    ]

    static let profileID = "ascensia-contour-next"
    static let analytes = ShippedAnalytes.table

    @Test func theNotesStartReplyIsOneCheckedFrameBetweenEOTAndENQ() {
        let reports = HIDMeterReports.contour(Self.startReply)
        #expect(reports.count == 4 && reports.allSatisfy { $0.count == 64 })
        #expect(reports.dropLast().allSatisfy { $0[3] == 60 })
        let stream = reports.flatMap { ContourReport.payload(of: $0[...]).bytes }
        #expect(stream == Self.startReply)
        var frames = FrameStream(ASTMFrameDecoder())
        frames.append(stream)
        var events: [ASTMEvent] = []
        while let e = frames.next() { events.append(e) }
        #expect(events.count == 3 && frames.counters.badChecksums == 0)
        #expect(events.first == .control(.eot) && events.last == .control(.enq))
    }

    /// Risk: a hostile length byte reads past the report, or more than 60 bytes.
    @Test func aLengthByteBeyondTheReportTakesOnlyWhatFits() {
        var report = [UInt8](repeating: 0x41, count: 64)
        report[3] = 0xFF
        let p = ContourReport.payload(of: report[...])
        #expect(p.malformed && p.bytes.count == 60)
        let short: [UInt8] = [0x41, 0x42, 0x43, 10, 0x06]
        let q = ContourReport.payload(of: short[...])
        #expect(q.malformed && Array(q.bytes) == [0x06])
        #expect(ContourReport.payload(of: [0x41, 0x42][...]).malformed)
    }

    @Test func outputReportsAreIdZeroABCLengthOneAndTheByte() {
        let ack = ContourReport.outputReport(.ack)
        #expect(ack.count == 65)
        #expect(Array(ack[0..<6]) == [0x00, 0x41, 0x42, 0x43, 0x01, 0x06] && ack[6...].allSatisfy { $0 == 0 })
    }

    /// Risk: a report that could change the meter (ENQ, a frame, the W|/D|/T| clock commands)
    /// passes the allow-list.
    @Test func onlyEOTACKAndNAKReportsMayLeave() {
        for byte in 0...255 {
            var r = ContourReport.outputReport(.ack)
            r[5] = UInt8(byte)
            #expect(ContourReport.mayTransmit(r) == [0x04, 0x06, 0x15].contains(byte), "control byte \(byte)")
        }
        for command in ["W|", "D|", "T|", "R|", "240615|\r", "0930|\r"] {
            var r: [UInt8] = [0x00] + Array("ABC".utf8) + [UInt8(command.utf8.count)] + Array(command.utf8)
            r += [UInt8](repeating: 0, count: 65 - r.count)
            #expect(!ContourReport.mayTransmit(r), "\(command)")
        }
        var tidepoolStyle = ContourReport.outputReport(.ack)
        tidepoolStyle.replaceSubrange(1...3, with: [0, 0, 0])
        #expect(!ContourReport.mayTransmit(tidepoolStyle))
        #expect(!ContourReport.mayTransmit(Array(ContourReport.outputReport(.ack).dropFirst())))
    }

    static func transferReports() -> [UInt8] {
        var out: [UInt8] = []
        out += HIDMeterReports.contour([0x05]).flatMap { $0 }
        for frame in ASTMConversation.frames(records) { out += HIDMeterReports.contour(frame).flatMap { $0 } }
        out += HIDMeterReports.contour([0x04]).flatMap { $0 }
        return out
    }

    @Test func aCaptureOfReportsReplaysThroughTheASTMReceiver() {
        let d = ContourCaptureStream.decodeCapture(Self.transferReports(), profileID: Self.profileID, analytes: Self.analytes)
        #expect(d.readings.map(\.value) == [ExactDecimal(133), ExactDecimal(98)])
        #expect(d.readings.allSatisfy { $0.unit == "mg/dL" && $0.code == "41653-7" })
        #expect(d.readings.first?.deviceTime == LocalDateTime(year: 2012, month: 2, day: 5, hour: 20, minute: 34))
        #expect(d.deviceSerial == "7390-2336773" && d.pendingBytes == 0)
    }

    /// Risk: the meter's reply to the start EOT (EOT, a header frame, ENQ) replayed as a frame
    /// outside a transfer (a problem the live session never has: it drops that reply's bytes).
    @Test func theStartReplyBeforeENQIsNotReadAsAFrameOutsideATransfer() {
        let start = HIDMeterReports.contour(Self.startReply).flatMap { $0 }
        let body = Self.transferReports()
        // The notes' reply ends with ENQ; the transfer's own ENQ follows the host's ACK.
        let d = ContourCaptureStream.decodeCapture(start + Array(body[64...]), profileID: Self.profileID, analytes: Self.analytes)
        #expect(d.problems.isEmpty, "\(d.problems)")
        #expect(d.readings.map(\.value) == [ExactDecimal(133), ExactDecimal(98)])
    }

    /// Property: the same readings, problems and counters however the report bytes are split.
    @Test func randomSplitsOfTheReportStreamDecodeAlike() {
        let bytes = Self.transferReports()
        let whole = ContourCaptureStream.decodeCapture(bytes, profileID: Self.profileID, analytes: Self.analytes)
        var rng = SeededRandom(seed: 21)
        for _ in 0..<200 {
            var stream = ContourCaptureStream(profileID: Self.profileID, analytes: Self.analytes)
            var readings: [Reading] = []
            var problems: [String] = []
            var i = 0
            while i < bytes.count {
                let n = Int(rng.next() % 150) + 1
                let end = min(bytes.count, i + n)
                stream.feed(Array(bytes[i..<end]), receivedAt: LocalDateTime(secondsSinceEpoch: 0)) { e in
                    switch e { case let .reading(r): readings.append(r); case let .problem(p): problems.append(p) }
                }
                i = end
            }
            let s = stream.finish { e in if case let .problem(p) = e { problems.append(p) } }
            #expect(readings == whole.readings && problems == whole.problems && s.counters == whole.counters)
        }
    }

    /// Risk: garbage reports (hostile lengths, random bytes) crash or lose the transfer around them.
    @Test func hostileReportsAroundATransferLeaveItsReadings() {
        var junk = [UInt8](repeating: 0xFF, count: 64)
        junk[3] = 200
        let bytes = junk + Self.transferReports() + junk + [0x41, 0x42]
        let d = ContourCaptureStream.decodeCapture(bytes, profileID: Self.profileID, analytes: Self.analytes)
        #expect(d.readings.count == 2)
        #expect(d.counters.malformed == 2 && d.pendingBytes >= 2)
    }
}
