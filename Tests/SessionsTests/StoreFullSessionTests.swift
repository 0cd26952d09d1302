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

/// A full store stops the session draining the device: it ends as `store-full`, asks for no
/// further record, and does not power the meter off (it keeps its memory for the next poll).
@Suite struct StoreFullSessionTests {
    final class FullAfter: SessionSink {
        let room: Int
        var stored = 0
        init(room: Int) { self.room = room }
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {}
        func received(_ reading: Reading) throws -> Bool {
            guard stored < room else { throw SinkFullError(detail: "store: full (test)") }
            stored += 1
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) {}
    }

    @Test func aFullStoreEndsTheSessionAsStoreFull() throws {
        let memory = EmulatedTD4277.sampleMemory(count: 20, newest: TaiDocSessionTests.newest)
        let meter = try EmulatedTD4277(serial: "22040600001A0B7C", records: memory, clock: TaiDocSessionTests.newest)
        meter.start()
        defer { meter.stop() }
        let port = try SerialPort(path: meter.slavePath, line: TaiDocSessionTests.profile.line.tty)
        defer { port.close() }
        let sink = FullAfter(room: 5)
        let summary = TaiDocSession(transport: port, profile: TaiDocSessionTests.profile, logger: Logger(label: "test")).run(into: sink)
        #expect(summary.outcome == .storeFull("store: full (test)"))
        #expect(summary.outcome.description == "store-full")
        #expect(sink.stored == 5 && summary.recordsNew == 5 && summary.recordsRead == 6)
        #expect(meter.counters.violations == 0)
        // Wake, model, two serial halves, clock, count, then time and value of six records: no
        // seventh record was asked for and no power-off was sent.
        #expect(meter.counters.framesAnswered == 6 + 2 * 6)
    }
}
