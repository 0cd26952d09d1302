import BlueZ
import DeviceProfiles
import Foundation
import Glibc
import Logging
import PocGateCore
import Sessions
import Testing
import TestSupport
import Transports

/// The GATT link under the unchanged TaiDoc session, against the mocked FORA meter whose
/// answers arrive split over two notifications.
@Suite(.enabled(if: BLEBus.isAvailable, "needs dbus-daemon and python3-dbusmock"))
struct GATTLinkTests {
    static let service = "00001523-1212-efde-1523-785feabcd123"
    static let characteristic = "00001524-1212-efde-1523-785feabcd123"
    static let profile: DeviceProfile = {
        var p = DeviceProfile(
            id: "fora-ble", version: 1, name: "test", kind: "glucose-meter", protocol: .taidocTD42xx,
            match: MatchRules(usb: [], bluetooth: [BluetoothMatch(namePrefix: "TAIDOC")]), line: LineSettings(baud: 19200),
            session: SessionSettings(replyTimeoutMillis: 1000, retries: 2, wakeAttempts: 3, powerOffWhenDone: false, pollIntervalSeconds: 30),
            sourceFile: "test", contentHash: "0")
        p.transport = .bleUART
        return p
    }()

    final class Sink: SessionSink {
        var readings: [Reading] = []
        var serial: String?
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool {
            readings.append(reading)
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) { Issue.record("rejected: \(why)") }
    }

    static func open(_ bus: BLEBus) throws -> (BlueZClient, GATTLink) {
        let client = try BlueZClient(address: bus.address)
        try client.connect(device: BLEBus.meterPath, timeoutMillis: 5000)
        let link = try GATTLink(client: client, device: BLEBus.meterPath, service: service, write: characteristic,
                                notify: characteristic, byteStream: true)
        return (client, link)
    }

    /// Subscribing comes before any write, and writes are acknowledged requests.
    @Test func subscribesBeforeWritingAndWritesWithResponse() throws {
        let bus = try BLEBus()
        let (client, link) = try Self.open(bus)
        try link.write([0x51, 0x24, 0, 0, 0, 0, 0xA3, 0x18], timeoutMillis: 2000)
        var frame: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while frame.count < 8 {
            let n = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 3000) }
            if n == 0 { break }
            frame += buffer[0..<n]
        }
        #expect(frame == [0x51, 0x24, 0x77, 0x42, 0x00, 0x00, 0xA5, 0xD3])
        link.close()
        client.close()
        let result = try bus.result()
        let methods = result.methods(at: result.characteristic)
        #expect(methods.first == "StartNotify")
        #expect(methods.contains("WriteValue"))
        #expect(result.writes.allSatisfy { $0.type == "request" })
    }

    @Test func taidocSessionRunsUnchangedOverBLE() throws {
        let bus = try BLEBus(records: 7)
        let (client, link) = try Self.open(bus)
        let sink = Sink()
        let summary = TaiDocSession(transport: link, profile: Self.profile, logger: Logger(label: "test")).run(into: sink)
        link.close()
        client.close()
        let result = try bus.result()
        #expect(summary.outcome == .complete)
        #expect(sink.serial == "1704A52C00B3E981")
        #expect(sink.readings.map(\.value) == result.records.map { ExactDecimal($0.value) })
        #expect(result.meter.violations.isEmpty)
    }

    /// The device walks out of range mid-transfer: the session ends as an unplug with the
    /// readings it had, and the link never writes again.
    @Test func disconnectMidTransferEndsAsUnplugKeepingReadings() throws {
        let bus = try BLEBus(records: 10, cutAfter: 4)
        let (client, link) = try Self.open(bus)
        let sink = Sink()
        let summary = TaiDocSession(transport: link, profile: Self.profile, logger: Logger(label: "test")).run(into: sink)
        #expect(summary.outcome == .unplugged)
        #expect(sink.readings.count == 3)
        #expect(throws: LinkError.unplugged(errno: ENOTCONN)) { try link.write([0x51, 0x22, 0, 0, 0, 0, 0xA3, 0x16], timeoutMillis: 500) }
        link.close()
        client.close()
    }

    /// A flood of notifications the session does not read is bounded, counted and dropped.
    @Test func notificationFloodIsBoundedAndCounted() throws {
        let bus = try BLEBus(records: 40)
        let client = try BlueZClient(address: bus.address)
        defer { client.close() }
        try client.connect(device: BLEBus.meterPath, timeoutMillis: 5000)
        let link = try GATTLink(client: client, device: BLEBus.meterPath, service: Self.service, write: Self.characteristic,
                                notify: Self.characteristic, byteStream: true, queueLimit: 4)
        defer { link.close() }
        // Ten model requests: twenty notifications arrive, only four are kept.
        for _ in 0..<10 { try link.write([0x51, 0x24, 0, 0, 0, 0, 0xA3, 0x18], timeoutMillis: 2000) }
        let deadline = Date().addingTimeInterval(10)
        while link.droppedNotifications < 16 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        var buffer = [UInt8](repeating: 0, count: 64)
        var got = 0
        while true {
            let n = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 500) }
            if n == 0 { break }
            got += n
        }
        // The first four pieces: 5 + 3 bytes of each of the first two answers.
        #expect(got == 16)
        #expect(link.droppedNotifications == 16)
    }

    @Test func missingCharacteristicIsNamedForTheTechnician() throws {
        let bus = try BLEBus()
        let client = try BlueZClient(address: bus.address)
        defer { client.close() }
        try client.connect(device: BLEBus.meterPath, timeoutMillis: 5000)
        let ffe1 = "0000ffe1-0000-1000-8000-00805f9b34fb"
        #expect(throws: LinkError.bluetooth(.missing(uuid: ffe1))) {
            try GATTLink(client: client, device: BLEBus.meterPath, service: Self.service, write: ffe1, notify: ffe1, byteStream: true)
        }
    }
}
