import DeviceProfiles
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The live Omron HEM-790IT-class session against `ScriptedOmronMonitor` (the public notes'
/// conversation, whole reports per read).
@Suite struct OmronSessionTests {
    static let profile = DeviceProfile(
        id: "omron-hem-790it", version: 1, name: "t", kind: "blood-pressure-monitor", protocol: .omronHEM790IT,
        match: MatchRules(usb: [USBMatch(vendorID: 0x0590, productID: 0x0028)]), line: LineSettings(baud: 9600),
        session: SessionSettings(replyTimeoutMillis: 100, retries: 1, wakeAttempts: 3), sourceFile: "t", contentHash: "0")

    typealias M = ScriptedOmronMonitor.Measurement
    static let bankA = [M(year: 24, month: 6, day: 15, hour: 8, minute: 30, second: 5, systolic: 128, diastolic: 82, pulse: 71),
                        M(year: 24, month: 6, day: 14, hour: 19, minute: 2, second: 40, systolic: 135, diastolic: 88, pulse: 0)]
    static let bankB = [M(year: 24, month: 6, day: 15, hour: 7, minute: 45, second: 0, systolic: 117, diastolic: 76, pulse: 64)]

    /// A sink that keeps readings by identity, as the store does.
    final class Sink: SessionSink {
        var serial: String?
        var readings: [Reading] = []
        var keys: Set<String> = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool {
            guard keys.insert(reading.deviceSerial + "|" + reading.recordKey).inserted else { return false }
            readings.append(reading)
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    static func run(_ monitor: any DeviceLink, _ sink: Sink) -> SessionSummary {
        OmronSession(transport: monitor, profile: profile, logger: Logger(label: "t"), monitorSerial: "OM123").runToEnd(into: sink)
    }

    /// Risk: a bank or a measurement not read, a pulse of 0 stored, or the banks mixed up.
    @Test func readsEveryMeasurementOfBothBanks() {
        let monitor = ScriptedOmronMonitor(banks: [Self.bankA, Self.bankB])
        let sink = Sink()
        let summary = Self.run(monitor, sink)
        #expect(summary.outcome == .complete && summary.recordsAnnounced == 3 && summary.recordsRead == 3 && summary.recordsNew == 3)
        #expect(summary.pendingBytes == 0)
        #expect(sink.serial == "OM123")
        let panels = sink.readings.filter { $0.kind == .bloodPressure }
        #expect(panels.map(\.deviceSerial) == ["OM123-A", "OM123-A", "OM123-B"])
        #expect(panels.map(\.deviceTime.description) == ["2024-06-15T08:30:05", "2024-06-14T19:02:40", "2024-06-15T07:45:00"])
        #expect(panels.map { $0.components.map(\.value) } == [[128, 82], [135, 88], [117, 76]].map { $0.map { ExactDecimal($0) } })
        #expect(sink.readings.filter { $0.kind == .heartRate }.map(\.value) == [ExactDecimal(71), ExactDecimal(64)])
        #expect(monitor.features == [[0x00, 0x74, 0xBC]])
        #expect(monitor.written.last == [0x00, 0x05, 0x45, 0x4E, 0x44, 0xFF, 0xFF, 0x00, 0x00])
    }

    /// Risk: a `NO` answer taken as the end of the memory or as a lost record.
    @Test func aRefusedMeasurementIsAskedAgain() {
        let monitor = ScriptedOmronMonitor(banks: [Self.bankA, Self.bankB])
        monitor.refuseFirstAsk = true
        let sink = Sink()
        let summary = Self.run(monitor, sink)
        #expect(summary.outcome == .complete && summary.recordsNew == 3 && sink.problems.isEmpty)
    }

    /// Risk: an unplug mid-dump loses what was read or stores it twice on the replug.
    @Test func unplugMidDumpKeepsWhatWasReadAndTheReplugAddsNothingTwice() {
        let sink = Sink()
        let first = ScriptedOmronMonitor(banks: [Self.bankA, Self.bankB])
        first.unplugAfterReports = 6   // OK, the count (2 reports), the first measurement (3 reports)
        let cut = Self.run(first, sink)
        #expect(cut.outcome == .unplugged && cut.recordsNew == 1)
        let replug = Self.run(ScriptedOmronMonitor(banks: [Self.bankA, Self.bankB]), sink)
        #expect(replug.outcome == .complete && replug.recordsRead == 3 && replug.recordsNew == 2)
        let again = Self.run(ScriptedOmronMonitor(banks: [Self.bankA, Self.bankB]), sink)
        #expect(again.outcome == .complete && again.recordsNew == 0)
        #expect(sink.readings.filter { $0.kind == .bloodPressure }.count == 3)
    }

    /// Risk: a stray answer of another command taken as the next bank, so bank A's
    /// measurements go to bank B's patient.
    @Test func aStrayCountAnswerNeverMovesMeasurementsToTheOtherBank() {
        let monitor = ScriptedOmronMonitor(banks: [Self.bankA, Self.bankB])
        monitor.strayCountBeforeFirstMeasurement = true
        let sink = Sink()
        let summary = Self.run(monitor, sink)
        #expect(summary.outcome == .complete && summary.recordsNew == 3)
        #expect(sink.readings.filter { $0.kind == .bloodPressure }.map(\.deviceSerial) == ["OM123-A", "OM123-A", "OM123-B"])
    }

    /// A one-user monitor that refuses bank B: bank A is read, the session completes.
    @Test func aRefusedSecondBankIsSkipped() {
        let monitor = ScriptedOmronMonitor(banks: [Self.bankA])
        let sink = Sink()
        let summary = Self.run(monitor, sink)
        #expect(summary.outcome == .complete && summary.recordsNew == 2)
    }

    /// Risk: a monitor that never wakes reported as an empty memory.
    @Test func aSilentMonitorIsNoAnswer() {
        final class Silent: DeviceLink, HIDFeatureReports {
            var delivery: LinkDelivery { .messages(maximumLength: 8) }
            func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {}
            func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int { 0 }
            func discardInput() {}
            func close() {}
            func setFeature(_ report: [UInt8]) throws(LinkError) {}
            func getFeature(reportID: UInt8, length: Int) throws(LinkError) -> [UInt8] { [] }
        }
        let summary = Self.run(Silent(), Sink())
        #expect(summary.outcome == .noAnswer)
    }

    /// Risk: every report the session can send must pass the allow-list (else it could not
    /// read), and the memory clear and other commands of the notes must not.
    @Test func everyReportTheSessionCanSendIsAllowedAndNothingElse() {
        var sendable: [[UInt8]] = [OmronCommand.readingMode] + OmronCommand.wake.reports + OmronCommand.end.reports
        for bank in OmronCommand.banks {
            sendable += OmronCommand.readingCount(bank: bank).reports
            for index in 0...255 { sendable += OmronCommand.reading(bank: bank, index: UInt8(index)).reports }
        }
        #expect(sendable.allSatisfy(OmronCommand.mayTransmit))
        // What the session really wrote in a full read is among them.
        let monitor = ScriptedOmronMonitor(banks: [Self.bankA, Self.bankB])
        _ = Self.run(monitor, Sink())
        #expect(monitor.written.allSatisfy { sendable.contains($0) })

        func report(_ text: String) -> [UInt8] {
            let data = Array(text.utf8)
            return [0x00, UInt8(data.count)] + data + [UInt8](repeating: 0, count: 7 - data.count)
        }
        let forbidden: [[UInt8]] = [
            report("MCL00"),                                   // memory clear (Elite Plus dialect)
            report("GCL00"), report("CNT00"), report("VER00"), report("PRF00"), report("SRL00"),
            [0x00, 0x07, 0x47, 0x4D, 0x41, 0x00, 0x00, 0x00, 0x00],      // GMA weekly average
            [0x00, 0x07, 0x47, 0x4D, 0x45, 0x00, 0x02, 0x00, 0x00],      // GME of bank 2
            [0x00, 0x07, 0x4D, 0x45, 0x53, 0x00, 0x00, 0x00, 0x00],      // MES (pedometer/Elite Plus)
            [0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00],      // a continuation with more bytes
            [0x00, 0x01, 0x01], [0x00, 0x74, 0xBD], [0x00, 0x01, 0x01],  // short report, other feature reports
            [0x01, 0x05, 0x45, 0x4E, 0x44, 0xFF, 0xFF, 0x00, 0x00],      // END with a report id
        ]
        for bytes in forbidden { #expect(!OmronCommand.mayTransmit(bytes), "\(Hex.string(bytes)) passes the allow-list") }
        // Through the session's own wrapper nothing forbidden reaches the device.
        let guarded = ReadOnlyLink(monitor, mayTransmit: OmronCommand.mayTransmit)
        let before = monitor.written.count
        for bytes in forbidden { #expect(throws: LinkError.self) { try guarded.write(bytes, timeoutMillis: 10) } }
        #expect(monitor.written.count == before)
    }

    /// Risk: the session run on a link without feature reports (a tty profile by mistake)
    /// sends commands to a device in the wrong mode: it ends at once with a technician's message.
    @Test func aLinkWithoutFeatureReportsIsRefused() {
        final class TTYLike: DeviceLink {
            var writes = 0
            func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { writes += 1 }
            func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int { 0 }
            func discardInput() {}
            func close() {}
        }
        let link = TTYLike()
        let summary = Self.run(link, Sink())
        guard case let .transportFailed(why) = summary.outcome else { Issue.record("\(summary.outcome)"); return }
        #expect(why.contains("transport: hid") && link.writes == 0)
    }
}
