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
    /// A fresh directory holding one Bluetooth blood-pressure profile `id` with one match rule.
    static func profileDirectory(id: String, rule: String) throws -> String {
        let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("bt-profiles-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: profiles, withIntermediateDirectories: true)
        try """
            id: \(id)
            version: 1
            name: BP monitor \(id)
            kind: blood-pressure-monitor
            protocol: taidoc-td32xx-bp
            match:
              bluetooth:
                - \(rule)
            line:
              baud: 19200
            """.write(toFile: profiles + "/bp.yaml", atomically: true, encoding: .utf8)
        return profiles
    }

    @Test func rfcommTTYsCarryTheRemoteAddressNeverTheDonglesUSBIdsAndGetVerdicts() async throws {
        let profiles = try Self.profileDirectory(id: "bp-by-oui", rule: #"oui: "00:1A:7D""#)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        var options = UmockdevOptions()
        options.timeout = 60
        let command = DevicesCommand.on() + [DevicesCommand.path, "devices", "--json", "--verbose", "--profiles", profiles]
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

    /// A profile that matches on the device name alone: the kernel does not report the name,
    /// so `pocgate devices` reads it from the daemon's configuration (`bluetooth.devices`) and
    /// reaches the daemon's verdict (without it the port shows `name unknown`, as above). A
    /// configuration named with `--config` that cannot be read is an error: exit 2, PG-DEV-004.
    @Test func nameRulesUseTheConfiguredBluetoothNames() async throws {
        let profiles = try Self.profileDirectory(id: "bp-by-name", rule: #"name_prefix: "BP-Monitor""#)
        defer { try? FileManager.default.removeItem(atPath: profiles) }
        let config = profiles + "/../pocgate-\(UUID().uuidString.prefix(8)).yaml"
        defer { try? FileManager.default.removeItem(atPath: config) }
        try """
            uplink:
              url: https://center.example/fhir
            profiles:
              paths: [\(profiles)]
            bluetooth:
              devices:
                - {address: "aa:bb:cc:dd:ee:ff", name: "BP-Monitor 42"}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        var options = UmockdevOptions()
        options.timeout = 60
        // The profile directories come from the configuration: no --profiles.
        let named = try await UmockdevHarness.run(.bluetoothList, options: options,
                                                  command: DevicesCommand.on() + [DevicesCommand.path, "devices", "--json", "--config", config])
        defer { named.removeWorkdir() }
        #expect(named.result.ok, Comment(rawValue: named.diagnostics))
        let lines = try DevicesCommand.lines(named)
        try #require(lines.count == 3, Comment(rawValue: named.diagnostics))
        #expect(lines[1].port?.bluetooth == BluetoothIdentity(address: "AA:BB:CC:DD:EE:FF", channel: 3, name: "BP-Monitor 42"))
        #expect(lines[1].profile == "bp-by-name" && lines[1].why == nil)
        #expect(lines[0].profile == nil, "rfcomm0's name is not configured")

        let missing = try await UmockdevHarness.run(.bluetoothList, options: options,
                                                    command: DevicesCommand.on() + [DevicesCommand.path, "devices", "--json", "--profiles", profiles,
                                                              "--config", "/dev/null/absent.yaml"])
        defer { missing.removeWorkdir() }
        // A named configuration that is not there: 66, as from every command.
        #expect(missing.result.daemon?.exitStatus == 66, Comment(rawValue: missing.diagnostics))
        #expect(missing.daemonStderr.contains("PG-DEV-004"))
    }
}
