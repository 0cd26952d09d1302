import PocGateCore
import Sessions
import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// `pocgate capture DEVNODE --profile ID --out FILE`.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Run a profile's session against a device and save both directions with timestamps.",
        discussion: """
            Talks to the device exactly as the daemon would (the same read-only allow-list: no \
            clock set, no memory clear), or only listens when the protocol has no live session, \
            and writes every chunk each way with its time (format: docs/CAPTURES.md). Nothing is \
            stored or uploaded. Stop pocgate.service first, or it may hold the port.
            """)

    @Argument(help: "The tty or hidraw node, e.g. /dev/ttyUSB0, /dev/rfcomm0 or /dev/hidraw0.")
    var devnode: String

    @Option(name: .long, help: "Profile id (looked up in --profiles) or path to a profile YAML file.")
    var profile: String

    @Option(name: .long, help: "Directory of profiles (repeatable). Default: ./DeviceProfiles, /etc/pocgate/profiles, /usr/share/pocgate/profiles.")
    var profiles: [String] = []

    @Option(name: .long, help: "The capture file to write (mode 0600).")
    var out: String

    @Option(name: .long, help: "Seconds to listen after the session (or instead of it, for protocols without one).")
    var listen: Int = 0

    @Option(name: .long, help: "End the capture after this many seconds whatever the device does (1–86400).")
    var maxSeconds: Int = CaptureLimits.standard.maxSeconds

    @Option(name: .long, help: "End the capture once this many bytes were recorded, both ways together (1024–1073741824).")
    var maxBytes: Int = CaptureLimits.standard.maxBytes

    @OptionGroup var ids: PatientIDOptions

    @Option(name: .long, help: "Configuration whose store's audit log records --show-patient-ids.")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func validate() throws {
        guard CaptureLimits.secondsRange.contains(maxSeconds) else {
            throw ValidationError("--max-seconds must be from \(CaptureLimits.secondsRange.lowerBound) to \(CaptureLimits.secondsRange.upperBound)")
        }
        guard CaptureLimits.bytesRange.contains(maxBytes) else {
            throw ValidationError("--max-bytes must be from \(CaptureLimits.bytesRange.lowerBound) to \(CaptureLimits.bytesRange.upperBound)")
        }
    }

    func run() throws {
        let display = try PatientIDDisplay.audited(showInClear: ids.showPatientIDs, configPath: config)
        let profile = try ProfileResolver.resolve(profile, directories: profiles.isEmpty ? ProfileResolver.defaultDirectories : profiles)
        let listenSeconds = profile.hasLiveSession ? listen : max(listen, 30)
        var logger = Logger(label: "pocgate.capture")
        logger.logLevel = .warning
        let limits = CaptureLimits(maxSeconds: maxSeconds, maxBytes: maxBytes)
        let summary = try CaptureRun.run(CaptureRun.Plan(devnode: devnode, profile: profile, outputPath: out,
                                                         listenSeconds: listenSeconds, limits: limits), logger: logger)
        for r in summary.readings { print(display.line(r)) }
        StandardStreams.writeError("""
            pocgate capture: \(summary.outcome); \(summary.deviceBytes) bytes from the device, \
            \(summary.gatewayBytes) bytes to it, \(summary.chunks) chunks, \(summary.readingCount) readings\
            \(summary.readingCount > summary.readings.count ? " (the first \(summary.readings.count) printed)" : ""); written to \(out)

            """)
    }
}
