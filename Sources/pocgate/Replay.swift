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

/// `pocgate replay`: decode a raw capture of what a device sent.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a raw byte capture of what a device sent: one JSON object per reading, or a summary line.")

    @Option(name: .long, help: "Profile id (looked up in --profiles) or path to a profile YAML file.")
    var profile: String

    @Option(name: .long, help: "Directory of profiles (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    @Option(name: .long, help: "Output format: ndjson (one line per reading) or summary (one line of counts and decode time).")
    var format: ReplayFormat = .ndjson

    @Argument(help: "The capture file: raw bytes as the device sent them, or a `pocgate capture` file.")
    var capture: String

    @OptionGroup var times: CaptureTimeOptions

    @OptionGroup var ids: PatientIDOptions

    @Option(name: .long, help: "Configuration whose store's audit log records --show-patient-ids.")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func run() throws {
        let display = try PatientIDDisplay.audited(showInClear: ids.showPatientIDs, configPath: config)
        let profile = try ProfileResolver.resolve(profile, directories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles)
        if let make = ProtocolRegistry.driver(for: profile).streamCapture {
            try stream(make(profile), twoWay: isCaptureFile(), display: display)
            return
        }
        let input = try times.read(capture)
        let (result, seconds) = CaptureReplay(profile: profile).timedDecode(input)
        switch format {
        case .ndjson:
            for r in result.readings { print(display.line(r)) }
        case .summary:
            print(ReplaySummary.line(result, bytes: input.deviceBytes.count, seconds: seconds))
        }
        report(problems: result.problems, dropped: 0, counters: result.counters, display: display)
    }

    /// Whether the capture is a two-way `pocgate capture` file (streamed record by record, with its record times).
    private func isCaptureFile() throws -> Bool {
        do { return try StreamingReplay.isCaptureFile(capture) } catch { throw ValidationError("capture file: \(error)") }
    }

    /// A capture through the family's streaming decoder: a plain one read in 1 MiB pieces, a
    /// two-way one record by record; each reading printed as it is decoded, memory bounded
    /// whatever the capture's size.
    private func stream(_ decoder: any CaptureStreamDecoder, twoWay: Bool, display: PatientIDDisplay) throws {
        var decoder = decoder
        let progress = ReplayProgress(enabled: isatty(STDERR_FILENO) == 1)
        var readings = 0
        let outcome: StreamingReplay.Outcome
        let show: (Int, Int) -> Void = { progress.show(read: $0, size: $1, readings: readings) }
        let onReading: (Reading) -> Void = { r in
            readings += 1
            if format == .ndjson { print(display.line(r)) }
        }
        do {
            if twoWay {
                outcome = try StreamingReplay.runCapture(path: capture, decoder: &decoder, clock: times.recordClock(capture),
                                                         progress: show, reading: onReading)
            } else {
                do {
                    outcome = try StreamingReplay.run(path: capture, decoder: &decoder, receivedAt: times.plainReceivedAt(capture),
                                                      progress: show, reading: onReading)
                } catch {
                    throw ValidationError("capture file: \(error)")
                }
            }
        } catch let error as CaptureFileReader.Failure {
            progress.clear()
            throw ValidationError("\(error)")
        } catch {
            progress.clear()
            throw error
        }
        progress.clear()
        if format == .summary { print(ReplaySummary.line(outcome)) }
        report(problems: outcome.problems, dropped: outcome.droppedProblems, counters: outcome.summary.counters, display: display)
    }

    /// The problems and skipped bytes on stderr, after the readings.
    private func report(problems: [String], dropped: Int, counters c: DecodeCounters, display: PatientIDDisplay) {
        for p in problems {
            StandardStreams.writeError(display.text("pocgate replay: record not decoded: \(DeviceText.escaped(p))\n"))
        }
        if dropped > 0 {
            StandardStreams.writeError("pocgate replay: \(dropped) more records not decoded; only the first \(problems.count) reasons are listed\n")
        }
        if c.garbageBytes + c.badChecksums + c.malformed + c.oversized > 0 {
            StandardStreams.writeError("pocgate replay: skipped \(c.garbageBytes) garbage bytes, \(c.badChecksums) bad checksums, \(c.malformed) malformed frames\n")
        }
    }
}

/// `--format` values.
enum ReplayFormat: String, ExpressibleByArgument {
    case ndjson
    case summary
}
