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

/// The live FreeStyle Optium session against a scripted meter (the `$xmem` layout of the public
/// description; the meter ignores the first command after plug-in).
@Suite struct FreeStyleSessionTests {
    static let profile = DeviceProfile(
        id: "abbott-freestyle-optium", version: 1, name: "t", kind: "glucose-meter", protocol: .freestyleOptium,
        match: MatchRules(usb: [USBMatch(vendorID: 0x1a61, productID: 0x3410)]), line: LineSettings(baud: 19200),
        session: SessionSettings(replyTimeoutMillis: 100, retries: 1, wakeAttempts: 3), sourceFile: "t", contentHash: "0")

    static func xmem(corrupt: Bool) -> [UInt8] {
        var text = "\r\nQAGP123-45678\r\n0.22\r\nJune 15 2024 09:05:30\r\n002\r\n"
            + "120  June 15 2024 08:30 G 0x00\r\n085  Jan  04 2024 13:37 G 0x00\r\n"
        let sum = text.utf8.reduce(UInt16(0)) { $0 &+ UInt16($1) } &+ (corrupt ? 1 : 0)
        text += "0x" + String(sum, radix: 16, uppercase: true).leftPadded(4) + "  END\r\nCMD OK\r\n"
        return Array(text.utf8)
    }

    final class ScriptedMeter: DeviceLink {
        let dump: [UInt8]
        var written: [[UInt8]] = []
        var pending: [UInt8] = []
        init(dump: [UInt8]) { self.dump = dump }
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            written.append(bytes)
            if written.count > 1 { pending += dump }   // the first command is ignored
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
        var readings: [Reading] = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    /// Risk: the first `$xmem` ignored and nothing read, or anything but `$xmem` sent.
    @Test func readsTheDumpAfterTheIgnoredFirstCommand() {
        let meter = ScriptedMeter(dump: Self.xmem(corrupt: false))
        let sink = Sink()
        let summary = FreeStyleSession(transport: meter, profile: Self.profile, logger: Logger(label: "t")).run(into: sink)
        #expect(summary.outcome == .complete && summary.recordsNew == 2)
        #expect(sink.serial == "QAGP123-45678")
        #expect(sink.readings.map(\.value) == [ExactDecimal(120), ExactDecimal(85)])
        #expect(meter.written == [FreeStyleCommand.memoryDump.bytes, FreeStyleCommand.memoryDump.bytes])
    }

    /// Risk: results of a damaged dump (its lines carry no checksum of their own) stored.
    @Test func aDumpWhoseChecksumFailsStoresNothingAndIsKeptAsAProblem() {
        let meter = ScriptedMeter(dump: Self.xmem(corrupt: true))
        let sink = Sink()
        let summary = FreeStyleSession(transport: meter, profile: Self.profile, logger: Logger(label: "t")).run(into: sink)
        #expect(sink.readings.isEmpty)
        #expect(sink.problems.count == 1 && sink.problems[0].contains("checksum"))
        guard case .transportFailed = summary.outcome else {
            Issue.record("outcome \(summary.outcome)")
            return
        }
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
