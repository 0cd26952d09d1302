import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate profile validate FILE…`
struct ProfileValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check profile files: every error and warning as file:line:column; exit code 1 on errors.")

    @Option(name: .long, help: "Directory of installed profiles to check match rules against (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    @Argument(help: "Profile YAML files.")
    var files: [String]

    func run() throws {
        let report = ProfileValidation.run(files: files, directories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles)
        for l in report.lines { Console.out(l) }
        Console.out("\(report.errorCount) error(s), \(report.warningCount) warning(s)")
        if report.errorCount > 0 { throw ExitCode(1) }
    }
}
