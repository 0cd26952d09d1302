import ArgumentParser
import Daemon

/// `pocgate devices`: which serial ports the gateway sees and which profile claims each.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the serial ports libudev sees and the device profile that claims each, or why none does.")

    @Option(name: .long, help: "Directory of device profiles (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

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
        let options = DevicesOptions(profileDirectories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles,
                                     json: json, watch: watch, eventLimit: events, verbose: verbose)
        let code = DevicesMain.run(options)
        if code != 0 { throw ExitCode(code) }
    }
}
