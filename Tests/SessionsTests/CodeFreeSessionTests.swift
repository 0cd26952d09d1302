import Emulators
import DeviceProfiles
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The live SD CodeFree session: the meter opens with its challenge, the host answers, the
/// meter counts, the host fetches one record at a time. A fetch past the last record
/// disconnects the meter and any other frame shows E-5 until a power cycle.
@Suite struct CodeFreeSessionTests {
    static let profile = DeviceProfile(
        id: "sd-codefree", version: 1, name: "t", kind: "glucose-meter", protocol: .sdCodeFree,
        match: MatchRules(usb: [USBMatch(vendorID: 0x10c4, productID: 0xea60)]), line: LineSettings(baud: 38400),
        session: SessionSettings(replyTimeoutMillis: 300, retries: 1, wakeAttempts: 3), sourceFile: "t", contentHash: "0")
    static let newest = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
    static let identity = "usb:0001"

    /// A meter→host frame, built from the public notes (`53 20 len message xor AA`).
    static func frame(_ m: [UInt8]) -> [UInt8] { [0x53, 0x20, UInt8(m.count + 2)] + m + [m.reduce(0, ^), 0xAA] }
    static func hostFrame(_ m: [UInt8]) -> [UInt8] { [0x53, 0x10, UInt8(m.count + 2)] + m + [m.reduce(0, ^), 0xAA] }

    /// A meter that opened with its challenge, counts `count` and would answer any number of
    /// fetches (a real one disconnects past the last); it records every write.
    final class ScriptedMeter: DeviceLink {
        let count: Int
        var written: [[UInt8]] = []
        var pending: [UInt8] = CodeFreeSessionTests.frame([0x10, 0x30])
        init(count: Int) { self.count = count }
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            written.append(bytes)
            if bytes == CodeFreeSessionTests.hostFrame([0x10, 0x40]) {
                pending += CodeFreeSessionTests.frame([0x30, 0, UInt8(count)] + [UInt8](repeating: 0xAA, count: 19))
            } else if bytes == CodeFreeSessionTests.hostFrame([0x10, 0x60]) {
                let n = written.count - 1
                pending += CodeFreeSessionTests.frame([0, 0, 24, 6, 15, 8, UInt8(n % 60), 0, UInt8(100 + n), 0x10] + [UInt8](repeating: 0, count: 7))
            }
        }
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
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
        var model: String?
        var readings: [Reading] = []
        var problems: [String] = []
        var onReading: ((Int) -> Void)?
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
            self.serial = serial
            self.model = model
        }
        func received(_ reading: Reading) throws -> Bool {
            readings.append(reading)
            onReading?(readings.count)
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    static func session(_ link: any DeviceLink) -> CodeFreeSession {
        CodeFreeSession(transport: link, profile: profile, logger: Logger(label: "t"), fallbackSerial: identity)
    }

    /// Risk: the meter is not read at all (replay only), or its readings are filed under a
    /// shared placeholder serial that merges every CodeFree of every clinic.
    @Test func readsEveryRecordOverAPseudoTerminalUnderThePortsIdentity() throws {
        let memory = EmulatedTD4277.sampleMemory(count: 25, newest: Self.newest)
        let meter = try EmulatedMeter(CodeFreeResponder(records: memory))
        meter.start()
        defer { meter.stop() }
        let port = try SerialPort(path: meter.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        let sink = Sink()
        let summary = Self.session(port).run(into: sink)
        #expect(summary.outcome == .complete, "\(summary.outcome)")
        #expect(summary.recordsAnnounced == 25 && summary.recordsRead == 25 && summary.recordsNew == 25)
        #expect(sink.serial == Self.identity && sink.model == "SD CodeFree")
        #expect(sink.readings.allSatisfy { $0.deviceSerial == Self.identity })
        #expect(sink.readings.map(\.value) == memory.map { ExactDecimal($0.valueMgdL) })
        #expect(sink.readings.map(\.deviceTime) == memory.map(\.time))
        #expect(sink.readings.map(\.flags) == memory.map {
            $0.flags == EmulatedRecord.beforeMeal ? [.beforeMeal] : $0.flags == EmulatedRecord.afterMeal ? [.afterMeal] : []
        })
        #expect(meter.counters.violations == 0, "a forbidden frame or a fetch past the last record")
    }

    /// Risk: a fetch past the last record disconnects the meter mid-session; an unknown
    /// command leaves it at E-5 until a power cycle. The session sends one answer and exactly
    /// as many fetches as the count, even to a meter that would answer more.
    @Test func sendsOnlyTheAnswerAndOneFetchPerCountedRecord() {
        let meter = ScriptedMeter(count: 3)
        let sink = Sink()
        let summary = Self.session(meter).run(into: sink)
        #expect(summary.outcome == .complete && sink.readings.count == 3)
        #expect(meter.written == [CodeFreeCommand.answerChallenge.bytes] + Array(repeating: CodeFreeCommand.fetchOrDisconnect.bytes, count: 3))
    }

    /// Every frame a session could try: only the answer and the fetch may leave the port; the
    /// clock write and every other host message (all two-byte ones, tried one by one) cannot.
    @Test func theAllowListLetsOnlyTheAnswerAndTheFetchThrough() {
        #expect(CodeFreeCommand.answerChallenge.bytes == [0x53, 0x10, 0x04, 0x10, 0x40, 0x50, 0xAA])
        #expect(CodeFreeCommand.fetchOrDisconnect.bytes == [0x53, 0x10, 0x04, 0x10, 0x60, 0x70, 0xAA])
        var allowed: [[UInt8]] = []
        for a in 0...255 {
            for b in 0...255 where CodeFreeCommand.mayTransmit(Self.hostFrame([UInt8(a), UInt8(b)])) {
                allowed.append([UInt8(a), UInt8(b)])
            }
        }
        #expect(allowed == [[0x10, 0x40], [0x10, 0x60]])
        #expect(!CodeFreeCommand.mayTransmit(Self.hostFrame(Array("ADATE2406150830".utf8))))
        #expect(!CodeFreeCommand.mayTransmit(Self.frame([0x10, 0x40])), "a meter-direction frame")
        #expect(!CodeFreeCommand.mayTransmit(CodeFreeCommand.fetchOrDisconnect.bytes + CodeFreeCommand.fetchOrDisconnect.bytes))
    }

    /// Risk: a pulled cable loses the readings already stored.
    @Test func unplugMidDumpKeepsWhatWasRead() throws {
        let memory = EmulatedTD4277.sampleMemory(count: 40, newest: Self.newest)
        let meter = try EmulatedMeter(CodeFreeResponder(records: memory))
        meter.start()
        let port = try SerialPort(path: meter.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        let sink = Sink()
        sink.onReading = { n in if n == 10 { meter.stop() } }
        let summary = Self.session(port).run(into: sink)
        #expect(summary.outcome == .unplugged, "\(summary.outcome)")
        #expect(sink.readings.count == 10 && summary.recordsRead == 10)
    }

    /// A meter that never opens (switched off): the session listens and sends nothing at
    /// all; an unprompted frame could leave a real meter at E-5.
    @Test func aSilentMeterIsQuietAndNothingIsSent() throws {
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        let summary = Self.session(port).run(into: Sink())
        #expect(summary.outcome == .quiet)
        #expect(pty.read(waitingMillis: 100).isEmpty)
    }
}
