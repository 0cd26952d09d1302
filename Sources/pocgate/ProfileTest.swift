import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import FrameParsing
import PocGateCore

/// `pocgate profile test FILE --capture CAP`
struct ProfileTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Decode a capture with a profile: the readings, and every rejected frame with its bytes and the reason.")

    @Option(name: .long, help: "The capture: raw bytes as the device sent them, or a `pocgate capture` file.")
    var capture: String

    @Option(name: .long, help: "Output: text (readings and rejections for a person) or ndjson (readings on stdout, rejections on stderr).")
    var format: ProfileTestFormat = .text

    @Argument(help: "The profile YAML file.")
    var file: String

    @OptionGroup var times: CaptureTimeOptions

    @OptionGroup var ids: PatientIDOptions

    @Option(name: .long, help: "Configuration whose store's audit log records --show-patient-ids.")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func run() throws {
        let display = try PatientIDDisplay.audited(showInClear: ids.showPatientIDs, configPath: config)
        let profile: DeviceProfile
        do {
            profile = try ProfileResolver.resolve(file, directories: [])
        } catch {
            for line in "\(error)".split(separator: "\n") { print(DeviceText.escaped(String(line))) }
            // A profile that is not there is missing input; one with errors is configuration.
            throw ExitCode((FileManager.default.fileExists(atPath: file) ? ExitStatus.configuration : .noInput).rawValue)
        }
        let out = ProfileTestRun.run(profile, capture: try times.read(capture), format: format == .ndjson ? .ndjson : .text)
        for l in out.lines { print(display.text(l)) }
        for d in out.diagnostics { StandardStreams.writeError(display.text("\(d)\n")) }
    }
}

/// `--format` values.
enum ProfileTestFormat: String, ExpressibleByArgument {
    case text, ndjson
}
