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

/// The declarative TD-4277 script against the emulated meter: the same readings as the
/// hand-written session, and nothing but read-only commands on the wire.
@Suite struct DeclarativeSessionTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func declarativeScriptReadsEveryRecordFromTheEmulatedMeter() throws {
        let file = Self.repo + "/DeviceProfiles/taidoc/td4277-declarative/profile.yaml"
        var profile = try DeviceProfile.parse(try String(contentsOfFile: file, encoding: .utf8), file: file, families: .builtIn)
        profile.session.replyTimeoutMillis = 300
        let plan = try #require(profile.declarative)
        let newest = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
        let memory = EmulatedTD4277.sampleMemory(count: 12, newest: newest)
        let meter = try EmulatedTD4277(serial: "22040600001A0B7C", records: memory, clock: LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        meter.start()
        defer { meter.stop() }
        let port = try SerialPort(path: meter.slavePath, line: profile.line.tty)
        defer { port.close() }
        let sink = TaiDocSessionTests.Sink()
        let session = DeclarativeSession(transport: port, profile: profile, plan: plan, logger: Logger(label: "test"))
        let summary = session.run(into: sink)
        #expect(summary.outcome == .complete)
        #expect(summary.recordsAnnounced == 12 && summary.recordsRead == 12 && summary.recordsNew == 12)
        #expect(sink.serial == "22040600001A0B7C")
        #expect(sink.model == "TD-4277")
        #expect(sink.clock == LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5))
        #expect(sink.readings.map(\.value) == memory.map { ExactDecimal($0.valueMgdL) })
        #expect(sink.readings.map(\.deviceTime) == memory.map(\.time))
        #expect(Set(sink.readings.map(\.recordKey)).count == 12)
        #expect(meter.counters.violations == 0)
    }

    @Test func transportRefusesAWriteCommandEvenIfAskedDirectly() throws {
        let file = Self.repo + "/DeviceProfiles/taidoc/td4277-declarative/profile.yaml"
        let profile = try DeviceProfile.parse(try String(contentsOfFile: file, encoding: .utf8), file: file, families: .builtIn)
        let plan = try #require(profile.declarative)
        let clear = try #require(plan.spec.commands.first { $0.name == "clear_memory" })
        #expect(clear.writes)
        let pair = try PTYPair()
        let guarded = ReadOnlyLink(try SerialPort(path: pair.slavePath, line: profile.line.tty), mayTransmit: { plan.mayTransmit($0) })
        defer { guarded.close() }
        #expect(throws: LinkError.self) { try guarded.write(plan.frame(for: clear), timeoutMillis: 100) }
    }
}
