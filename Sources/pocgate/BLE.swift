import PocGateCore
import ArgumentParser
import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sessions
import Tools

/// `pocgate ble`: Bluetooth LE devices through BlueZ (one subcommand per file).
struct BLE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ble",
        abstract: "Bluetooth LE devices through BlueZ: scan shows what is in range and which profile would claim it; pair and forget.",
        subcommands: [BLEScanCommand.self, BLEPairCommand.self, BLEForgetCommand.self])
}

/// `pocgate ble scan`.
struct BLEScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan for Bluetooth LE devices: address, name, RSSI, advertised services, and the profile that would claim each or why none would. Connects nothing.")

    @Option(name: .long, help: "How long to scan, in seconds (0: only what BlueZ already knows).")
    var seconds = 10

    @Option(name: .long, help: "Directory of device profiles (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    @Flag(name: .long, help: "One JSON object per line instead of a table.")
    var json = false

    func validate() throws {
        guard (0...300).contains(seconds) else { throw ValidationError("--seconds must be between 0 and 300") }
    }

    func run() throws {
        let directories = profiles.isEmpty ? ProfileResolver.defaultDirectories.filter { FileManager.default.fileExists(atPath: $0) } : profiles
        let (catalog, _) = ProfileCatalog.load(directories: directories, families: .builtIn)
        let rows: [BLEScan.Row]
        do {
            rows = try BLEScan.scan(seconds: seconds, catalog: catalog)
        } catch {
            StandardStreams.writeError("pocgate ble scan: \(error)\n")
            throw ExitCode(69)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for row in rows { print(String(decoding: try encoder.encode(row), as: UTF8.self)) }
        } else {
            print(BLEScan.table(rows), terminator: "")
        }
    }
}
