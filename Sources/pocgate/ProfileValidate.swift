import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate profile validate FILE…`
struct ProfileValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check profile files: every error and warning as file:line:column; exit 78 on errors (a profile is configuration), 66 when a file is not there.")

    @Option(name: .long, help: "Directory of installed profiles to check match rules against (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    @Argument(help: "Profile YAML files.")
    var files: [String]

    func run() throws {
        let report = ProfileValidation.run(files: files, directories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles)
        for l in report.lines { Console.out(l) }
        Console.out("\(report.errorCount) error(s), \(report.warningCount) warning(s)")
        if report.errorCount > 0 {
            let missing = files.contains { !FileManager.default.fileExists(atPath: $0) }
            throw ExitCode((missing ? ExitStatus.noInput : ExitStatus.configuration).rawValue)
        }
    }
}
