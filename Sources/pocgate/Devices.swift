import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate devices`: which serial ports the gateway sees and which profile claims each.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the serial ports libudev sees and the Bluetooth LE devices BlueZ knows, and the device profile that claims each, or why none does.")

    @Option(name: .long, help: "Directory of device profiles (repeatable). Default: the configuration's profiles.paths, or without a readable configuration ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    @Option(name: .long, help: "The daemon's configuration, read for the Bluetooth device names (bluetooth.devices) and profile directories. Default: /etc/pocgate/pocgate.yaml, skipped when absent.")
    var config: String?

    @Flag(name: .long, help: "One JSON object per line instead of a table.")
    var json = false

    @Flag(name: .long, help: "After the listing, report ports as they are plugged in and removed, until Ctrl-C or SIGTERM.")
    var watch = false

    @Option(name: .long, help: "With --watch: exit after this many added/removed events.")
    var events: Int?

    @Flag(name: .long, help: "Log discovery details (debug level) to stderr.")
    var verbose = false

    func validate() throws {
        if let events {
            guard watch else { throw ValidationError("--events needs --watch") }
            guard events >= 1 else { throw ValidationError("--events must be at least 1") }
        }
    }

    func run() throws {
        var options = DevicesOptions(profileDirectories: profiles.isEmpty ? nil : profiles,
                                     json: json, watch: watch, eventLimit: events, verbose: verbose)
        if let config {
            options.configPath = config
            options.configRequired = true
        }
        let code = DevicesMain.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}
