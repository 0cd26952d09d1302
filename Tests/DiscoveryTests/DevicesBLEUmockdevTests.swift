import Foundation
import PocGateCore
import Testing
import TestSupport

/// `pocgate devices` lists the Bluetooth LE devices BlueZ knows beside the ttys: the real
/// libudev against umockdev's cables, and a mocked BlueZ (Tests/Harness/ble_bus.py) on a
/// private system bus.
@Suite(.enabled(if: UmockdevHarness.isAvailable && BLEBus.isAvailable, "needs umockdev-wrapper, dbus-daemon and python3-dbusmock"),
       .timeLimit(.minutes(3)))
struct DevicesBLEUmockdevTests {
    /// `pocgate devices` (JSON unless `text`) with the shipped profiles and `fora-ble-test`,
    /// BlueZ on `bus`, over the mocked cables.
    private static func run(bus: String, text: Bool = false) async throws -> UmockdevRun {
        let fora = try BLEBus.foraProfiles()
        defer { try? FileManager.default.removeItem(atPath: fora) }
        var options = UmockdevOptions()
        options.timeout = 60
        var command = DevicesCommand.on(bus: bus) + [DevicesCommand.path, "devices", "--profiles", DevicesCommand.profiles, "--profiles", fora]
        if !text { command.append("--json") }
        return try await UmockdevHarness.run(.plugList, options: options, command: command)
    }

    /// Risk: a BLE meter invisible to the technician, or a phone claimed. The meter a profile
    /// claims and the phone none does are listed after the ttys with their verdicts and what
    /// BlueZ says of their link; nothing is scanned or connected.
    @Test func bleDevicesAreListedBesideTheTTYsWithTheirVerdictsInJSON() async throws {
        let bus = try BLEBus(stranger: true)
        let run = try await Self.run(bus: bus.address)
        defer { run.removeWorkdir() }
        #expect(run.result.daemon?.exitStatus == 0, Comment(rawValue: run.diagnostics))
        let lines = try DevicesCommand.allLines(run)
        let ttys = lines.filter { $0.port?.transport == .tty }
        #expect(ttys.count == 5, Comment(rawValue: run.diagnostics))
        let ble = lines.filter { $0.port?.transport == .ble }
        try #require(ble.count == 2, Comment(rawValue: run.diagnostics))
        #expect(lines.firstIndex { $0.port?.transport == .ble }! > lines.lastIndex { $0.port?.transport == .tty }!)
        #expect(lines.last?.event == "done" && !lines.contains { $0.event == "note" })

        let meter = ble[0]
        #expect(meter.port == PortDescription(devnode: BLEBus.meterPath, syspath: BLEBus.meterPath,
                                              bluetooth: BluetoothIdentity(address: BLEBus.meterAddress, name: BLEBus.meterName,
                                                                           services: ["00001523-1212-efde-1523-785feabcd123"]),
                                              transport: .ble))
        #expect(meter.profile == "fora-ble-test" && meter.why == nil)
        #expect(meter.ble == DevicesLine.Link(rssi: -58, connected: false, paired: false))
        let phone = ble[1]
        #expect(phone.port?.bluetooth?.address == BLEBus.strangerAddress && phone.port?.bluetooth?.name == "Pixel 7")
        #expect(phone.profile == nil)
        #expect(phone.why?.hasPrefix("no profile: Bluetooth LE F0:99:B6:11:22:33 (OUI F0:99:B6, name \"Pixel 7\", services none advertised); ") == true
                && phone.why?.contains("; fora-ble-test wants address C0:26:DA:00:42:77") == true
                && phone.why?.hasSuffix("; it will not be connected") == true, "\(phone)")

        // Read-only: no discovery started, nothing connected.
        let result = try bus.result()
        #expect(result.methods(at: "/org/bluez/hci0").isEmpty, "\(result.calls)")
        #expect(result.methods(at: BLEBus.meterPath).isEmpty && result.methods(at: BLEBus.strangerPath).isEmpty)
    }

    @Test func bleDevicesAreRowsOfTheTableWithATransportColumn() async throws {
        let bus = try BLEBus(stranger: true)
        let run = try await Self.run(bus: bus.address, text: true)
        defer { run.removeWorkdir() }
        #expect(run.result.daemon?.exitStatus == 0, Comment(rawValue: run.diagnostics))
        let rows = run.daemonStdout.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasPrefix("DEVICE ") == true && rows.first?.contains(" TRANSPORT ") == true, Comment(rawValue: run.diagnostics))
        #expect(rows.contains { $0.hasPrefix("/dev/ttyUSB0 ") && $0.contains(" tty ") })
        let meter = try #require(rows.first { $0.hasPrefix(BLEBus.meterPath) }, Comment(rawValue: run.diagnostics))
        let cells = meter.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(cells == [BLEBus.meterPath, "ble", "bt \(BLEBus.meterAddress)", "-58 dBm", BLEBus.meterName, "fora-ble-test"], "\(meter)")
        let phone = try #require(rows.first { $0.hasPrefix(BLEBus.strangerPath) })
        #expect(phone.contains("bt \(BLEBus.strangerAddress)") && phone.contains("-79 dBm") && phone.contains("no profile: Bluetooth LE"))
    }

    /// Risk: one phone in the waiting room rewriting the technician's terminal or a JSON
    /// consumer's view. Its advertised name reaches the output without control or format
    /// characters and cut to 40 scalars; the verdict quotes the same form.
    @Test func anAdvertisedNameIsPrintedWithoutControlCharactersAndBounded() async throws {
        let hostile = "Pixel\u{1B}[2J\u{07}\u{202E}\u{200B}" + String(repeating: "A", count: 300)
        let bus = try BLEBus(stranger: true, strangerName: hostile)
        let run = try await Self.run(bus: bus.address)
        defer { run.removeWorkdir() }
        let phone = try #require(try DevicesCommand.allLines(run).first { $0.port?.bluetooth?.address == BLEBus.strangerAddress },
                                 Comment(rawValue: run.diagnostics))
        let printable = "Pixel[2J" + String(repeating: "A", count: 31) + "…"
        #expect(phone.port?.bluetooth?.name == printable)
        #expect(phone.why?.contains("name \"\(printable)\"") == true, "\(phone)")
        #expect(!run.daemonStdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(!run.daemonStdout.contains("\\u001b") && !run.daemonStdout.contains("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
    }

    /// Risk: a crowded room flooding the listing. At most 50 BLE devices are listed, the
    /// claimed meter first; one note says how many were left out.
    @Test func moreBLEDevicesThanTheCapAreCountedNotListed() async throws {
        let bus = try BLEBus(stranger: true, phones: 55)
        let run = try await Self.run(bus: bus.address)
        defer { run.removeWorkdir() }
        let lines = try DevicesCommand.allLines(run)
        let ble = lines.filter { $0.port?.transport == .ble }
        #expect(ble.count == 50, Comment(rawValue: run.diagnostics))
        #expect(ble.first?.profile == "fora-ble-test")
        #expect(lines.filter { $0.event == "note" }.map(\.note) == ["7 more Bluetooth LE devices not listed (the list stops at 50)"])
        #expect(lines.last?.event == "done")
    }

    /// Without BlueZ on the bus the ttys are listed as before, one line says why no BLE device
    /// is, and the exit code stays 0.
    @Test func withoutBlueZTheTTYsAreListedAndOneLineSaysWhy() async throws {
        let text = try await Self.run(bus: DevicesCommand.noBus, text: true)
        defer { text.removeWorkdir() }
        #expect(text.result.daemon?.exitStatus == 0, Comment(rawValue: text.diagnostics))
        let rows = text.daemonStdout.split(separator: "\n").map(String.init)
        #expect(rows.filter { $0.hasPrefix("/dev/") }.count == 5, Comment(rawValue: text.diagnostics))
        #expect(rows.last?.hasPrefix("Bluetooth LE devices not listed: BlueZ is not reachable on the system bus (") == true
                && rows.last?.hasSuffix("check that bluetoothd runs and the pocgate unit may talk to org.bluez") == true,
                Comment(rawValue: text.diagnostics))
        #expect(rows.filter { $0.contains("Bluetooth LE") }.count == 1)

        let json = try await Self.run(bus: DevicesCommand.noBus)
        defer { json.removeWorkdir() }
        let lines = try DevicesCommand.allLines(json)
        #expect(lines.filter { $0.port != nil }.count == 5 && lines.last?.event == "done", Comment(rawValue: json.diagnostics))
        let notes = lines.filter { $0.event == "note" }
        #expect(notes.count == 1 && notes.first?.note?.hasPrefix("Bluetooth LE devices not listed: BlueZ is not reachable") == true)
    }
}
