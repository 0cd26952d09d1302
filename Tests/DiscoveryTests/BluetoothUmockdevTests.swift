import Foundation
import PocGateCore
import Testing
import TestSupport

/// `pocgate devices` and the real libudev against mocked RFCOMM ttys (Tests/Harness
/// mock_devices.py `bluetooth_records`: rfcomm0 connected below a USB dongle's hci0:11,
/// rfcomm1 bound under /sys/devices/virtual/tty, both with `address` and `channel`).
@Suite(.enabled(if: UmockdevHarness.isAvailable, "needs umockdev-wrapper and python3-gi"),
       .timeLimit(.minutes(3)))
struct BluetoothUmockdevTests {
    @Test func rfcommTTYsCarryTheRemoteAddressNeverTheDonglesUSBIdsAndGetVerdicts() async throws {
        let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("bt-profiles-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        try """
            id: bp-by-oui
            version: 1
            name: BP monitor by OUI
            kind: blood-pressure-monitor
            protocol: taidoc-td32xx-bp
            match:
              bluetooth:
                - oui: "00:1A:7D"
            line:
              baud: 19200
            """.write(toFile: profiles + "/bp.yaml", atomically: true, encoding: .utf8)
        var options = UmockdevOptions()
        options.timeout = 60
        let command = [DevicesCommand.path, "devices", "--json", "--verbose", "--profiles", profiles]
        let run = try await UmockdevHarness.run(.bluetoothList, options: options, command: command)
        defer { run.removeWorkdir() }
        #expect(run.result.ok, Comment(rawValue: run.diagnostics))
        let lines = try DevicesCommand.lines(run)
        let connected = PortDescription(
            devnode: "/dev/rfcomm0",
            syspath: MockCable.rootHub + "/1-5/1-5:1.0/bluetooth/hci0/hci0:11/rfcomm0",
            bluetooth: BluetoothIdentity(address: "00:1A:7D:DA:71:13", channel: 1))
        let bound = PortDescription(devnode: "/dev/rfcomm1", syspath: "/sys/devices/virtual/tty/rfcomm1",
                                    bluetooth: BluetoothIdentity(address: "AA:BB:CC:DD:EE:FF", channel: 3))
        #expect(lines.map(\.withoutVerdict) == [DevicesLine("port", connected), DevicesLine("port", bound), DevicesLine("done")],
                Comment(rawValue: run.diagnostics))
        try #require(lines.count == 3)
        #expect(lines[0].profile == "bp-by-oui" && lines[0].why == nil)
        #expect(lines[1].profile == nil)
        #expect(lines[1].why == "no profile: Bluetooth RFCOMM AA:BB:CC:DD:EE:FF (OUI AA:BB:CC, name unknown); bp-by-oui wants OUI 00:1A:7D")
        #expect(!run.daemonStderr.contains("PG-DVP-003"), "both ttys state an address")
    }
}
