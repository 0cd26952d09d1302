import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate demo`: readings flowing end to end, nothing to set up.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Emulated TD-4277 meter on a pseudo-terminal → the real gateway → a local FHIR receiver.")

    @Option(name: .long, help: "Exit after this many readings have been delivered (default: run until Ctrl-C).")
    var count: Int?

    @Option(name: .long, help: "How many records the emulated meter holds.")
    var records: Int = 12

    @Option(name: .long, help: "Directory of device profiles (repeatable).")
    var profiles: [String] = []

    @Flag(name: .long, help: "Log every frame and reading (debug level).")
    var verbose = false

    func validate() throws {
        guard (1...5000).contains(records) else { throw ValidationError("--records must be 1…5000") }
        if let c = count, c < 1 || c > records { throw ValidationError("--count must be 1…\(records) (the meter holds --records \(records))") }
    }

    func run() throws {
        let code = DemoMain.run(count: count, records: records,
                                profileDirectories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles, verbose: verbose)
        if code != 0 { throw ExitCode(code) }
    }
}
