import Tools
import Sessions
import Transports
@testable import Daemon
import PocGateCore
import Store
import Testing

/// Whatever protocol decoded it, a device serial or model reaches the store escaped and
/// bounded, and the change is logged once per session.
@Suite("StoreSink: device text", .serialized)
struct StoreSinkDeviceTextTests {
    @Test func F14_nulInAnySerialIsStoredEscapedAndBoundedWithAProblemLogged() throws {
        let f = try StoreSinkClockTests.Fixture()
        defer { f.remove() }
        let when = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
        var reading = StoreSinkClockTests.reading("a", at: when)
        reading.deviceSerial = "SN\u{0}" + String(repeating: "9", count: 10_000)
        try f.sink.identified(serial: reading.deviceSerial, model: "TD\u{1B}[31m", deviceClock: nil)
        #expect(try f.sink.received(reading))
        var second = reading
        second.recordKey = "b"
        #expect(try f.sink.received(second))
        let rows = try f.store.batchCandidates(limit: 10, nowMillis: Int64.max / 2)
        #expect(rows.count == 2)
        let serial = try #require(rows.first?.reading.deviceSerial)
        #expect(serial.hasPrefix("SN\\x00999") && serial.count == DeviceText.maximumIdentityLength)
        #expect(f.lines.codes(.deviceTextChanged) == [.warning, .warning], "once for the serial, once for the model")
    }
}
