import DeviceProfiles
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing
import TestSupport

/// The FreeStyle HID session over a scripted in-memory report link that answers as the shared
/// HID notes describe, one whole 64-byte report per read, with a keep-alive after every third
/// text report.
@Suite struct FreeStyleHIDSessionTests {
    static func profile(_ product: UInt16) -> DeviceProfile {
        DeviceProfile(id: "abbott-freestyle-hid", version: 1, name: "t", kind: "glucose-meter", protocol: .freestyleHID,
                      match: MatchRules(usb: [USBMatch(vendorID: 0x1a61, productID: product)]), line: LineSettings(baud: 9600),
                      session: SessionSettings(replyTimeoutMillis: 100, retries: 1, wakeAttempts: 3), sourceFile: "t", contentHash: "0")
    }

    final class ScriptedMeter: DeviceLink {
        var texts: [String: String]
        var written: [[UInt8]] = []
        var queue: [[UInt8]] = []
        var ignoreFirst = true
        var unplugAfterReports: Int?
        var reportsSent = 0
        var corruptResults = false
        var delivery: LinkDelivery { .messages(maximumLength: 64) }

        init(texts: [String: String]) { self.texts = texts }

        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            written.append(bytes)
            let type = bytes[1]
            let payload = Array(bytes[3..<(3 + Int(bytes[2]))])
            switch type {
            case 0x04:
                if ignoreFirst { ignoreFirst = false; return }
                queue += HIDMeterReports.freestyle(type: 0x34, [0x2A])
            case 0x05: queue += HIDMeterReports.freestyle(type: 0x06, Array("JCMV291-T1234".utf8) + [0])
            case 0x15: queue += HIDMeterReports.freestyle(type: 0x35, Array("1.02".utf8) + [0])
            case 0x01: queue += HIDMeterReports.freestyle(type: 0x71, [0x01])
            case 0x60:
                let command = String(decoding: payload, as: UTF8.self)
                var reply = texts[command].map { HIDMeterReports.textReply($0) } ?? HIDMeterReports.textReply("", failed: true)
                if corruptResults && command.hasSuffix("result?") { reply[reply.count - 13] ^= 1 }
                for (i, r) in HIDMeterReports.freestyle(type: 0x60, reply).enumerated() {
                    queue.append(r)
                    if i % 3 == 2 { queue += HIDMeterReports.freestyle(type: 0x22, [0x05]) }
                }
            default: queue += HIDMeterReports.freestyle(type: 0x30, [0x85])
            }
        }

        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
            if let limit = unplugAfterReports, reportsSent >= limit { throw .unplugged(errno: 19) }
            guard !queue.isEmpty else { return 0 }
            let r = queue.removeFirst()
            reportsSent += 1
            for i in 0..<r.count { buffer[i] = r[i] }
            return r.count
        }
        func discardInput() { queue.removeAll() }
        func close() {}
    }

    final class Sink: SessionSink {
        var serial: String?
        var model: String?
        var clock: LocalDateTime?
        var readings: [Reading] = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
            self.serial = serial
            self.model = model
            clock = deviceClock
        }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    static let neoRecords = (1...12).map { "7,\($0),6,\($0),24,8,30,0,\(80 + $0),0,0,0,0,0,0,0,0,0,0" } + ["9,13,6,15,24,8,40,0,18,0"]
    static let neoTexts = ["$serlnum?": "JCMV291-T1234\r\n", "$swver?": "1.02\r\n", "$date?": "6,15,24\r\n", "$time?": "9,5\r\n",
                           "$result?": HIDMeterReports.recordList(neoRecords)]

    static func run(_ meter: ScriptedMeter, product: UInt16 = 0x3850) -> (SessionSummary, Sink) {
        let sink = Sink()
        let p = profile(product)
        let session = ProtocolRegistry.driver(for: p).makeSession!(SessionContext(link: meter, profile: p, logger: Logger(label: "t"),
            localNow: { LocalDateTime(secondsSinceEpoch: 0) }, fallbackSerial: ""))!
        return (session.run(into: sink), sink)
    }

    /// Risk: the init not answered on the first try loses the session, or readings are changed.
    @Test func neoResultsAreReadAfterTheInitialisation() {
        let meter = ScriptedMeter(texts: Self.neoTexts)
        let (summary, sink) = Self.run(meter)
        #expect(summary.outcome == .complete && summary.recordsNew == 12 && summary.recordsRead == 13)
        #expect(sink.serial == "JCMV291-T1234" && sink.model == "FreeStyle Precision Neo")
        #expect(sink.clock == LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        #expect(sink.readings.first?.value == ExactDecimal(81) && sink.readings.last?.value == ExactDecimal(92))
        #expect(sink.problems.count == 1 && sink.problems[0].contains("ketone"))
        let sent = meter.written.map { Array($0[1...2]) + Array($0[3..<(3 + Int($0[2]))]) }
        #expect(sent.map { $0[0] } == [0x04, 0x04, 0x05, 0x15, 0x01, 0x60, 0x60, 0x60, 0x60])
        #expect(meter.written.allSatisfy { $0.count == 65 && FreeStyleHIDCommand.mayTransmit($0) })
    }

    /// Risk: a Libre sensor scan stored as capillary blood glucose; `$serlnum?` sent to a Libre.
    @Test func libreReadsBloodStripsAndReportsScans() {
        let records = ["1,2,6,15,24,7,55,12,1,0,0,0,104,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"",
                       "2,2,6,15,24,8,10,3,1,2,0,0,131,1,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\""]
        let meter = ScriptedMeter(texts: ["$sn?": "JGMT123-4567\r\n", "$date?": "6,15,24\r\n", "$time?": "9,5\r\n",
                                          "$arresult?": HIDMeterReports.recordList(records)])
        let (summary, sink) = Self.run(meter, product: 0x3650)
        #expect(summary.outcome == .complete && sink.readings.map(\.value) == [ExactDecimal(104)])
        #expect(sink.serial == "JGMT123-4567" && sink.problems.count == 1)
        let texts = meter.written.filter { $0[1] == 0x60 }.map { String(decoding: $0[3..<(3 + Int($0[2]))], as: UTF8.self) }
        #expect(texts == ["$sn?", "$date?", "$time?", "$arresult?"])
    }

    /// Risk: a result list whose checksum fails is stored.
    @Test func aDamagedResultListStoresNothing() {
        let meter = ScriptedMeter(texts: Self.neoTexts)
        meter.corruptResults = true
        let (summary, sink) = Self.run(meter)
        #expect(sink.readings.isEmpty && sink.problems.count == 1)
        guard case .transportFailed = summary.outcome else { Issue.record("\(summary.outcome)"); return }
    }

    /// Risk: an unplug in the middle of the result list stores part of it.
    @Test func unplugMidListStoresNothingAndEndsUnplugged() {
        let meter = ScriptedMeter(texts: Self.neoTexts)
        meter.unplugAfterReports = 12
        let (summary, sink) = Self.run(meter)
        #expect(summary.outcome == .unplugged && sink.readings.isEmpty)
    }

    /// Risk: the session (or a future change) sends a set or erase command: every report the
    /// session could send passes the allow-list, the dangerous ones do not leave the link.
    @Test func setAndResetCommandsCannotLeaveTheLink() {
        let meter = ScriptedMeter(texts: Self.neoTexts)
        let link = ReadOnlyLink(meter, mayTransmit: FreeStyleHIDCommand.mayTransmit)
        for model in FreeStyleHIDModel.allCases {
            let could = FreeStyleHIDCommand.initialisation + [model.serialCommand, .date, .time, model.resultsCommand]
            for command in could { #expect(FreeStyleHIDCommand.mayTransmit(command.report)) }
        }
        for text in ["$date,6,15,24", "$time,9,5", "$resetpatient", "$ptname,A", "$swreset", "$lang,3"] {
            let report = FreeStyleHIDMessage(type: 0x60, payload: Array(text.utf8)).outputReport!
            #expect(throws: LinkError.self) { try link.write(report, timeoutMillis: 10) }
        }
        #expect(meter.written.isEmpty)
    }

    @Test func aProfileNamingNoKnownProductGetsNoSession() {
        let p = Self.profile(0x3410)
        let made = ProtocolRegistry.driver(for: p).makeSession!(SessionContext(link: ScriptedMeter(texts: [:]), profile: p,
            logger: Logger(label: "t"), localNow: { LocalDateTime(secondsSinceEpoch: 0) }, fallbackSerial: ""))
        #expect(made == nil)
    }
}
