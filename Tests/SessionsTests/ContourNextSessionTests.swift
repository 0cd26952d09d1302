import DeviceProfiles
import FrameParsing
import Foundation
import Logging
import PocGateCore
import Sessions
import Transports
import Testing
import TestSupport

/// The Contour Next session over a scripted in-memory report link that plays the meter as the
/// public notes describe it, one whole 64-byte report per read: EOT from the host → EOT, a
/// header frame and ENQ; ACK → the next frame; NAK → the same frame again; after the last
/// frame, ACK → EOT.
@Suite struct ContourNextSessionTests {
    static let profile: DeviceProfile = {
        var p = DeviceProfile(
            id: "ascensia-contour-next", version: 1, name: "t", kind: "glucose-meter", protocol: .contourNextHID,
            match: MatchRules(usb: [USBMatch(vendorID: 0x1a79, productID: 0x7410)]), line: LineSettings(baud: 9600),
            session: SessionSettings(replyTimeoutMillis: 200, retries: 6, wakeAttempts: 3, powerOffWhenDone: false, pollIntervalSeconds: 1),
            sourceFile: "t", contentHash: "0")
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        p.analytes = AnalyteTables.load(directories: [repo + "/DeviceProfiles/analytes"]).tables.byID["diabetes-hypertension"] ?? .empty
        return p
    }()

    static let records = [
        "H|\\^&||7w3LBL|Bayer7410^01.24\\01.04\\09.02.20^7410-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|3||||||1|202406150905",
        "P|1",
        "R|1|^^^Glucose|133|mg/dL^P||B/X||202406150830",
        "R|2|^^^Glucose|98|mg/dL^P||A||202406141815",
        "R|3|^^^Glucose|201|mg/dL^P||B||202406131200",
        "L|1||N",
    ]

    final class ScriptedContour: DeviceLink {
        let frames = ASTMConversation.frames(ContourNextSessionTests.records)
        var ignoreFirstEOT = false
        var corruptOnce: Int?
        var unplugAfterFrames: Int?
        var written: [[UInt8]] = []
        var queue: [[UInt8]] = []
        var next = 0
        var started = false
        var delivery: LinkDelivery { .messages(maximumLength: 64) }

        func send(_ message: [UInt8]) { queue += HIDMeterReports.contour(message) }

        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            written.append(bytes)
            let control = bytes[5]
            if !started {
                guard control == 0x04 else { return }
                if ignoreFirstEOT { ignoreFirstEOT = false; return }
                started = true
                send([0x04] + frames[0] + [0x05])
                return
            }
            if control == 0x15 { send(frames[next - 1]); return }
            guard control == 0x06 else { return }
            if next == frames.count { send([0x04]); return }
            var frame = frames[next]
            if corruptOnce == next { frame = ASTMConversation.corrupted(frame); corruptOnce = nil }
            next += 1
            send(frame)
        }

        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
            if let limit = unplugAfterFrames, next > limit { throw .unplugged(errno: 19) }
            guard !queue.isEmpty else { return 0 }
            let r = queue.removeFirst()
            for i in 0..<r.count { buffer[i] = r[i] }
            return r.count
        }
        func discardInput() { queue.removeAll() }
        func close() {}
    }

    final class Sink: SessionSink {
        var serial: String?
        var readings: [Reading] = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    static func run(_ meter: ScriptedContour) -> (SessionSummary, Sink) {
        let sink = Sink()
        let summary = ContourNextSession(transport: meter, profile: profile, logger: Logger(label: "t")).run(into: sink)
        return (summary, sink)
    }

    /// Risk: the transfer never starts (no EOT sent), or readings lost or changed on the way.
    @Test func eotStartsTheTransferAndEveryResultIsRead() {
        let meter = ScriptedContour()
        meter.ignoreFirstEOT = true
        let (summary, sink) = Self.run(meter)
        #expect(summary.outcome == .complete && summary.recordsNew == 3)
        #expect(sink.serial == "7410-2336773")
        #expect(sink.readings.map(\.value) == [ExactDecimal(133), ExactDecimal(98), ExactDecimal(201)])
        #expect(sink.readings.allSatisfy { $0.unit == "mg/dL" && $0.code == "41653-7" })
        let sent = meter.written.map { $0[5] }
        #expect(sent == [0x04, 0x04] + [UInt8](repeating: 0x06, count: meter.frames.count + 1))
        #expect(meter.written.allSatisfy { $0.count == 65 && ContourReport.mayTransmit($0) })
    }

    /// Risk: a damaged frame stored, or the meter's retransmission not asked for.
    @Test func aDamagedFrameIsNAKedAndTakenFromTheRetransmission() {
        let meter = ScriptedContour()
        meter.corruptOnce = 3
        let (summary, sink) = Self.run(meter)
        #expect(summary.outcome == .complete && sink.readings.count == 3)
        #expect(meter.written.filter { $0[5] == 0x15 }.count == 1)
    }

    /// Risk: an unplug mid-transfer loses the results already acknowledged.
    @Test func unplugMidTransferKeepsWhatWasRead() {
        let meter = ScriptedContour()
        meter.unplugAfterFrames = 4
        let (summary, sink) = Self.run(meter)
        #expect(summary.outcome == .unplugged)
        // The meter had sent frames up to R|3 when the link went: the two results read before stay.
        #expect(sink.readings.map(\.value) == [ExactDecimal(133), ExactDecimal(98)])
    }

    @Test func aMeterThatNeverAnswersEndsAsNoAnswer() {
        final class Silent: DeviceLink {
            var writes = 0
            var delivery: LinkDelivery { .messages(maximumLength: 64) }
            func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { writes += 1 }
            func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int { 0 }
            func discardInput() {}
            func close() {}
        }
        let link = Silent()
        let summary = ContourNextSession(transport: link, profile: Self.profile, logger: Logger(label: "t")).run(into: Sink())
        #expect(summary.outcome == .noAnswer && link.writes == 3)
    }

    /// Risk: the de-framing link lets the ASTM layer (or anything above) send a frame.
    @Test func theReportLinkSendsOnlyControlBytesAsReports() {
        let meter = ScriptedContour()
        let link = ContourReportLink(reports: ReadOnlyLink(meter, mayTransmit: ContourReport.mayTransmit))
        #expect(throws: LinkError.self) { try link.write([0x05], timeoutMillis: 10) }
        #expect(throws: LinkError.self) { try link.write([0x02, 0x31], timeoutMillis: 10) }
        #expect(throws: LinkError.self) { try link.write(Array("W|".utf8), timeoutMillis: 10) }
        #expect(meter.written.isEmpty)
    }
}
