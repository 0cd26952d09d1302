import Daemon
import Tools
import Emulators
import DeviceProfiles
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The live Ultra 2 session against a scripted meter (lines built from the public line format).
@Suite struct Ultra2SessionTests {
    static let profile = DeviceProfile(
        id: "lifescan-onetouch-ultra2", version: 1, name: "t", kind: "glucose-meter", protocol: .onetouchUltra2,
        match: MatchRules(usb: [USBMatch(vendorID: 0x067b, productID: 0x2303)]), line: LineSettings(baud: 9600),
        session: SessionSettings(replyTimeoutMillis: 200, retries: 1, wakeAttempts: 2), sourceFile: "t", contentHash: "0")

    static let records = [
        "P \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081 \",\"N\",\"03\", 00",
        "P \"SAT\",\"03/21/15\",\"16:42:11   \",\"  105 \",\"B\",\"02\", 00",
        "P \"SAT\",\"03/21/15\",\"16:39:46   \",\"  176?\",\"N\",\"02\", 00",   // parity error: a problem
        "P \"SAT\",\"03/21/15\",\"16:30:00   \",\"  090 \",\"N\",\"00\", 00",
    ]

    /// Answers each whole command; can fail the line after `cutAfterWrites` writes.
    final class ScriptedMeter: DeviceLink {
        var written: [[UInt8]] = []
        var pending: [UInt8] = []
        var cutAfterDumpLines: Int?
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            written.append(bytes)
            let text = String(decoding: bytes.dropFirst(2).dropLast(), as: UTF8.self)
            switch text {
            case "DM@": pending += Ultra2Line.encode("@ \"GMF600DCY\"")
            case "DMF": pending += Ultra2Line.encode("F \"SAT\",\"03/21/15\",\"17:00:05   \"")
            case "DMP":
                var lines = [Ultra2Line.encode("P 004,\"GMF600DCY\",\"MG/DL \"")] + Ultra2SessionTests.records.map(Ultra2Line.encode)
                if let cut = cutAfterDumpLines { lines = Array(lines.prefix(cut)) }
                pending += lines.flatMap { $0 }
            default: break
            }
        }
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
            if pending.isEmpty, cutAfterDumpLines != nil, written.count >= 3 { throw .unplugged(errno: 5) }
            let n = min(buffer.count, pending.count)
            for i in 0..<n { buffer[i] = pending[i] }
            pending.removeFirst(n)
            return n
        }
        func discardInput() { pending.removeAll() }
        func close() {}
    }

    final class Sink: SessionSink {
        var serial: String?
        var clock: LocalDateTime?
        var readings: [Reading] = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial; clock = deviceClock }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    /// Risk: a live Ultra 2 session that writes anything but the read commands (DMZ zeroes
    /// the meter's log), or loses a record without a trace.
    @Test func readsSerialClockAndEveryRecordWithReadCommandsOnly() {
        let meter = ScriptedMeter()
        let sink = Sink()
        let summary = Ultra2Session(transport: meter, profile: Self.profile, logger: Logger(label: "t")).run(into: sink)
        #expect(summary.outcome == .complete)
        #expect(summary.recordsAnnounced == 4 && summary.recordsRead == 4 && summary.recordsNew == 3)
        #expect(sink.serial == "GMF600DCY")
        #expect(sink.clock == LocalDateTime(year: 2015, month: 3, day: 21, hour: 17, minute: 0, second: 5))
        #expect(sink.readings.map(\.value) == [ExactDecimal(81), ExactDecimal(105), ExactDecimal(90)])
        #expect(sink.problems.count == 1 && sink.problems[0].contains("parity"))
        #expect(meter.written.map { String(decoding: $0, as: UTF8.self) } == ["\u{11}\rDM@\r", "\u{11}\rDMF\r", "\u{11}\rDMP\r"])
    }

    /// Unplugged mid-dump: the records read before are delivered, the session ends `unplugged`.
    @Test func unplugMidDumpKeepsWhatWasRead() {
        let meter = ScriptedMeter()
        meter.cutAfterDumpLines = 3
        let sink = Sink()
        let summary = Ultra2Session(transport: meter, profile: Self.profile, logger: Logger(label: "t")).run(into: sink)
        #expect(summary.outcome == .unplugged)
        #expect(sink.readings.map(\.value) == [ExactDecimal(81), ExactDecimal(105)])
    }
}
