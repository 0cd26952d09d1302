import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import DeviceProfiles
import Foundation
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
        let input = try times.read(capture)
        let (result, seconds) = CaptureReplay(profile: profile).timedDecode(input)
        switch format {
        case .ndjson:
            for r in result.readings { print(display.line(r)) }
        case .summary:
            print(ReplaySummary.line(result, bytes: input.deviceBytes.count, seconds: seconds))
        }
        for p in result.problems {
            FileHandle.standardError.write(Data(display.text("pocgate replay: record not decoded: \(DeviceText.escaped(p))\n").utf8))
        }
        let c = result.counters
        if c.garbageBytes + c.badChecksums + c.malformed + c.oversized > 0 {
            FileHandle.standardError.write(Data("pocgate replay: skipped \(c.garbageBytes) garbage bytes, \(c.badChecksums) bad checksums, \(c.malformed) malformed frames\n".utf8))
        }
    }
}

/// `--format` values.
enum ReplayFormat: String, ExpressibleByArgument {
    case ndjson
    case summary
}
