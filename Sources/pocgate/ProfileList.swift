import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate profile list`
struct ProfileList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every loaded profile: id, version, protocol, match rules, source file; and files that failed to load.")

    @Option(name: .long, help: "Directory of profiles (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    func run() throws {
        for l in ProfileListing.lines(directories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles) { print(l) }
    }
}
