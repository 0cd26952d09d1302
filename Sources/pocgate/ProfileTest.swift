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
        let fmt: ProfileTestRun.Format = format == .ndjson ? .ndjson : .text
        let twoWay: Bool
        do { twoWay = try StreamingReplay.isCaptureFile(capture) } catch { throw ValidationError("capture file: \(error)") }
        let progress = ReplayProgress(enabled: isatty(STDERR_FILENO) == 1, command: "pocgate profile test")
        let streamed: ProfileTestRun.Output?
        do {
            streamed = try ProfileTestRun.stream(profile, path: capture, twoWay: twoWay, receivedAt: times.plainReceivedAt(capture),
                                                 clock: times.recordClock(capture), format: fmt, display: display,
                                                 progress: { progress.show(read: $0, size: $1) }) { print(display.text($0)) }
        } catch let error as CaptureFileReader.Failure {
            progress.clear()
            throw ValidationError("\(error)")
        } catch {
            progress.clear()
            throw ValidationError("capture file: \(error)")
        }
        progress.clear()
        // A family that cannot stream (GATT values, one per read) is decoded in memory.
        let out = try streamed ?? ProfileTestRun.run(profile, capture: times.read(capture), format: fmt, display: display)
        for l in out.lines { print(display.text(l)) }
        for d in out.diagnostics { StandardStreams.writeError(display.text("\(d)\n")) }
    }
}

/// `--format` values.
enum ProfileTestFormat: String, ExpressibleByArgument {
    case text, ndjson
}
