import Tools
import Emulators
import Daemon
import DeviceProfiles
import Foundation
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The live session against the emulated meter on a pseudo-terminal.
@Suite struct TaiDocSessionTests {
    static let profile = DeviceProfile(
        id: "taidoc-td4277", version: 1, name: "test", kind: "glucose-meter", protocol: .taidocTD42xx,
        match: MatchRules(usb: [USBMatch(vendorID: 0x067b, productID: 0x2303)]), line: LineSettings(baud: 19200),
        session: SessionSettings(replyTimeoutMillis: 300, retries: 2, wakeAttempts: 3, powerOffWhenDone: true, pollIntervalSeconds: 30),
        sourceFile: "test", contentHash: "0")
    static let newest = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)

    /// Collects what the session delivers; can pull the plug after N readings.
    final class Sink: SessionSink {
        var serial: String?
        var model: String?
        var clock: LocalDateTime?
        var readings: [Reading] = []
        var onReading: ((Int) -> Void)?
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
            self.serial = serial
            self.model = model
            self.clock = deviceClock
        }
        func received(_ reading: Reading) throws -> Bool {
            readings.append(reading)
            onReading?(readings.count)
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) { Issue.record("rejected: \(why)") }
    }

    @Test func readsEveryRecordWithExactValuesAndTimes() throws {
        let memory = EmulatedTD4277.sampleMemory(count: 25, newest: Self.newest)
        let meter = try EmulatedTD4277(serial: "22040600001A0B7C", records: memory, clock: LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        meter.start()
        defer { meter.stop() }
        let port = try SerialPort(path: meter.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        let sink = Sink()
        let summary = TaiDocSession(transport: port, profile: Self.profile, logger: Logger(label: "test")).run(into: sink)
        #expect(summary.outcome == .complete)
        #expect(summary.recordsAnnounced == 25 && summary.recordsRead == 25 && summary.recordsNew == 25)
        #expect(sink.serial == "22040600001A0B7C")
        #expect(sink.model == "TD-4277")
        #expect(sink.clock == LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        #expect(sink.readings.map(\.value) == memory.map { ExactDecimal($0.valueMgdL) })
        #expect(sink.readings.map(\.deviceTime) == memory.map(\.time))
        #expect(Set(sink.readings.map(\.recordKey)).count == 25)
        #expect(meter.counters.violations == 0)
    }

    @Test func unplugMidDumpEndsCleanlyKeepingWhatWasRead() throws {
        let memory = EmulatedTD4277.sampleMemory(count: 40, newest: Self.newest)
        let meter = try EmulatedTD4277(serial: "22040600001A0B7C", records: memory, clock: Self.newest)
        meter.start()
        let port = try SerialPort(path: meter.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        let sink = Sink()
        sink.onReading = { n in if n == 10 { meter.stop() } }
        let summary = TaiDocSession(transport: port, profile: Self.profile, logger: Logger(label: "test")).run(into: sink)
        #expect(summary.outcome == .unplugged)
        #expect(sink.readings.count == 10)
        #expect(summary.recordsRead == 10)
    }

    @Test func silentPortIsNoAnswer() throws {
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        let summary = TaiDocSession(transport: port, profile: Self.profile, logger: Logger(label: "test")).run(into: Sink())
        #expect(summary.outcome == .noAnswer)
        // Every byte the session sent was a wake frame: nothing else is tried on a silent port.
        let sent = pty.read(waitingMillis: 100)
        #expect(sent.count == 8 * Self.profile.session.wakeAttempts)
    }
}
