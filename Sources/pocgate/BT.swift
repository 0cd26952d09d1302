import PocGateCore
import ArgumentParser
import Daemon
import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sessions
import Tools

/// `pocgate bt`: classic Bluetooth serial (SPP) devices served through BlueZ's Profile API.
struct BT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bt",
        abstract: "Classic Bluetooth serial (SPP) devices: bind one so the daemon connects it through BlueZ, unbind it, list the bindings.",
        subcommands: [BTBindCommand.self, BTUnbindCommand.self, BTListCommand.self])
}

/// What the `bt` subcommands share: the configuration (state directory, profiles, names).
struct BTOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (YAML): where the state directory and the profiles are.")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func load(_ command: String) throws -> GatewayConfig {
        do {
            return try GatewayConfig.load(file: config)
        } catch {
            StandardStreams.writeError("pocgate bt \(command): cannot read the configuration: \(error)\n")
            throw ExitCode(ExitStatus.configRefused(path: config).rawValue)
        }
    }
}

/// `pocgate bt bind ADDRESS [--profile ID] [--force]`.
struct BTBindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bind",
        abstract: "Bind a paired classic Bluetooth serial device: the daemon connects it through BlueZ and reads it, now and after every restart.",
        discussion: """
            The device must be known to BlueZ, paired (`pocgate ble pair ADDRESS --force`), offer the Serial Port \
            service, and be claimed by a loaded, enabled profile's match.bluetooth rule (or the profile named with \
            --profile); --force binds it anyway. The binding is kept in bt-bindings beside the store and the running \
            daemon is told to reload. Exit codes: 65 refused address or profile, 69 no BlueZ, 73 the bindings file \
            could not be written, 77 the bindings file was refused.
            """)

    @Argument(help: "The device's Bluetooth address (bluetoothctl devices).")
    var address: String

    @Option(name: .long, help: "The id of the profile that serves the device (default: the one whose match rules claim it).")
    var profile: String?

    @Flag(name: .long, help: "Bind even when no loaded, enabled profile claims the device.")
    var force = false

    @OptionGroup var options: BTOptions

    func run() throws {
        let config = try options.load("bind")
        let catalog = ProfileCatalog.load(directories: config.profilePaths, families: .builtIn).0
        let path = BluetoothBindings.path(forStore: config.storePath)
        do {
            let outcome = try BTBinding.bind(address: address, profileID: profile, force: force, catalog: catalog,
                                             names: config.bluetoothNames, bindingsPath: path)
            let served = outcome.profile.map { "profile \($0)" } ?? "no profile claims it yet (forced)"
            let name = outcome.name.map { " (\($0))" } ?? ""
            print("\(outcome.address)\(name): \(outcome.changed ? "bound" : "already bound"); \(served)")
            if outcome.changed { print(BTDaemonNotice.notify(statusFile: StatusFile.resolve(statusPath: config.statusPath, storePath: config.storePath))) }
        } catch {
            StandardStreams.writeError("pocgate bt bind: \(error)\n")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}

/// `pocgate bt unbind ADDRESS`.
struct BTUnbindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unbind",
        abstract: "Stop connecting a bound Bluetooth serial device (the pairing stays; `pocgate ble forget` removes it).")

    @Argument(help: "The device's Bluetooth address.")
    var address: String

    @OptionGroup var options: BTOptions

    func run() throws {
        let config = try options.load("unbind")
        do {
            let (canonical, wasBound) = try BTBinding.unbind(address: address, bindingsPath: BluetoothBindings.path(forStore: config.storePath))
            print("\(canonical): \(wasBound ? "unbound" : "was not bound")")
            if wasBound { print(BTDaemonNotice.notify(statusFile: StatusFile.resolve(statusPath: config.statusPath, storePath: config.storePath))) }
        } catch {
            StandardStreams.writeError("pocgate bt unbind: \(error)\n")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}

/// `pocgate bt list`.
struct BTListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the bound Bluetooth serial devices.")

    @OptionGroup var options: BTOptions

    func run() throws {
        let config = try options.load("list")
        do {
            for b in try BTBinding.list(bindingsPath: BluetoothBindings.path(forStore: config.storePath)) {
                print(b.address + "  " + (b.profile ?? "(profile by match rules)"))
            }
        } catch {
            StandardStreams.writeError("pocgate bt list: \(error)\n")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}
