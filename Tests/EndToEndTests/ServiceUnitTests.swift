import Daemon
import Tools
import Sessions
import Foundation
import Testing
import TestSupport

/// `systemd/pocgate.service` as systemd's own analyzer sees it.
@Suite struct ServiceUnitTests {
    static let analyzer = "/usr/bin/systemd-analyze"
    static let unit = UmockdevHarness.repositoryRoot.appendingPathComponent("systemd/pocgate.service").path

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func declaresNotifyWatchdogRestartAndItsOwnUser() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for required in ["Type=notify", "NotifyAccess=main", "Restart=on-failure", "RestartPreventExitStatus=66 77 78",
                         "User=pocgate", "Group=pocgate", "StateDirectory=pocgate", "RuntimeDirectory=pocgate",
                         "ConfigurationDirectory=pocgate", "ExecReload=/bin/kill -HUP $MAINPID", "DevicePolicy=closed",
                         "DeviceAllow=char-ttyUSB rw", "DeviceAllow=char-ttyACM rw", "DeviceAllow=char-rfcomm rw",
                         "DeviceAllow=char-hidraw rw",
                         "RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6"] {
            #expect(lines.contains(required), "missing \(required)")
        }
        #expect(lines.contains { $0.hasPrefix("WatchdogSec=") })
        // hidraw's major is registered by the HID core: loaded before the start, or the
        // DeviceAllow= line resolves to nothing and every HID meter is refused.
        #expect(lines.contains { $0.hasPrefix("Wants=") && $0.contains("modprobe@hid.service") }
                && lines.contains { $0.hasPrefix("After=") && $0.contains("modprobe@hid.service") })
        // Bound Bluetooth serial devices and BLE devices are served from the first start after a
        // boot: ordered after bluetoothd, without pulling it in on a box that has none. Their
        // RFCOMM sockets come from bluetoothd over D-Bus: no AF_BLUETOOTH (checked above).
        #expect(lines.contains { $0.hasPrefix("After=") && $0.contains("bluetooth.service") })
        #expect(!lines.contains { ($0.hasPrefix("Wants=") || $0.hasPrefix("Requires=")) && $0.contains("bluetooth.service") })
        // Sized from the measured peak (56 MB), with room: at least 4 times it, at most 1 GiB.
        let memoryMax = lines.first { $0.hasPrefix("MemoryMax=") }.flatMap { Int($0.dropFirst("MemoryMax=".count).dropLast()) }
        #expect(memoryMax.map { (224...1024).contains($0) } == true, "MemoryMax= in MiB (e.g. 256M) missing or out of range")
        #expect(!text.contains("SupplementaryGroups"), "serial access is through the udev rules' group only")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyzer), "systemd-analyze is not installed (apt-get install systemd)"))
    func exposureIsAtMostTwo() throws {
        // --threshold counts tenths of the printed exposure level: 20 is 2.0.
        let (status, output) = try Self.run(Self.analyzer, ["security", "--offline=yes", "--threshold=20", Self.unit])
        let overall = output.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? "no overall line"
        #expect(status == 0, "\(overall)\n\(output)")
        let level = overall.firstMatch(of: /: ([0-9]+\.[0-9])/).flatMap { Double($0.output.1) }
        #expect(level.map { $0 <= 2.0 } == true, "\(overall)")
    }

    /// `verify` insists that ExecStart= exists: point it at the pocgate just built, and the
    /// man page check at nothing (the page is checked in the package, scripts/check-deb).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyzer), "systemd-analyze is not installed (apt-get install systemd)"))
    func verifiesCleanAgainstTheBuiltBinary() throws {
        let binary = try #require(BuiltProducts.executable(named: "pocgate")).path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-unit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let unit = try String(contentsOfFile: Self.unit, encoding: .utf8)
            .replacingOccurrences(of: "ExecStart=/usr/bin/pocgate ", with: "ExecStart=\(binary) ")
        let copy = directory.appendingPathComponent("pocgate.service").path
        try unit.write(toFile: copy, atomically: true, encoding: .utf8)
        let (status, output) = try Self.run(Self.analyzer, ["verify", "--man=no", copy])
        #expect(status == 0 && output.isEmpty, "\(output)")
    }
}
