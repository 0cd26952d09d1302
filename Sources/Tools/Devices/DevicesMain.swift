package import Daemon
import Sessions
import DeviceProfiles
import Discovery
import FoundationEssentials
package import Logging
import PocGateCore
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate devices`: every serial port libudev sees and every Bluetooth LE device BlueZ
/// already knows (`BLEDeviceList`: read-only, capped), each with the profile that claims it,
/// or why none does; with `watch`, then ports as they are plugged in and pulled out (BLE
/// devices are listed once, at the start, and not followed).
///
/// The report goes to stdout, logs to stderr (warnings only, unless `verbose`). The daemon's
/// configuration, when readable, supplies the Bluetooth names and the profile directories, so
/// the verdicts are the ones the daemon reaches.
public enum DevicesMain {
    /// Lists (and watches) the ports; returns the process exit code: 0, 69 when libudev could
    /// not be used, and for an explicitly named configuration that could not be loaded the
    /// code every command gives for it (66 not there, 77 not readable, 78 refused). BlueZ not
    /// reachable changes no exit code: the listing says so in one line.
    public static func run(_ options: DevicesOptions) -> Int32 {
        // Before any thread exists, so all of them inherit the mask.
        let signals = options.watch ? SignalWaiter(signals: [SIGINT, SIGTERM, SIGHUP, WatchSession.wakeSignal]) : nil
        LogSetup.bootstrap(level: options.verbose ? .debug : .warning)
        let logger = Logger(label: "pocgate")
        let config: GatewayConfig?
        switch readConfig(options, logger: logger) {
        case .read(let c): config = c
        case .skipped: config = nil
        case .failed: return ExitStatus.configRefused(path: options.configPath).rawValue
        }
        let names = config?.bluetoothNames ?? [:]
        let catalog = loadCatalog(options.profileDirectories ?? config?.profilePaths ?? ProfileResolver.defaultDirectories,
                                  logger: logger)
        let output = DevicesOutput(json: options.json)
        do throws(DiscoveryError) {
            let monitor = try DeviceMonitor(logger: logger)
            guard let signals else {
                let (probed, problems) = daemonVerdicts(config?.statusPath ?? options.statusPath)
                let ports = try monitor.enumerate().map { $0.naming(from: names) }
                var ble = BLEDeviceList.read(catalog: catalog)
                for i in ble.entries.indices {
                    ble.entries[i].verdict = ble.entries[i].verdict.adding(problem: problems[ble.entries[i].port.devnode])
                }
                output.listing(ports.map {
                    ($0, PortVerdict(port: $0, catalog: catalog).adding(daemon: probed[$0.devnode]).adding(problem: problems[$0.devnode]))
                }, ble: ble)
                return 0
            }
            let session = WatchSession(output: output, catalog: catalog, bluetoothNames: names, limit: options.eventLimit,
                                       ble: BLEDeviceList.read(catalog: catalog))
            try monitor.start(session.receive)
            session.goLive()
            var signal = signals.next()
            while signal == WatchSession.wakeSignal && !session.limitReached { signal = signals.next() }
            logger.info("stopping", metadata: ["reason": "\(reason(signal))"])
            monitor.stop()
            output.stopped()
            return 0
        } catch {
            logger.error("cannot list serial ports", metadata: ["code": "\(LogCode.devicesListFailed)", "error": "\(error)"])
            return ExitStatus.unavailable.rawValue
        }
    }

    package enum ConfigRead {
        case read(GatewayConfig)
        case skipped
        case failed
    }

    /// The daemon's configuration: skipped when the default file is absent; a warning (an
    /// error, and `failed`, when named with `--config`) when it cannot be read or is invalid.
    package static func readConfig(_ options: DevicesOptions, logger: Logger) -> ConfigRead {
        let path = options.configPath
        if !options.configRequired && !FileManager.default.fileExists(atPath: path) { return .skipped }
        do {
            return .read(try GatewayConfig.load(file: path))
        } catch {
            if options.configRequired {
                logger.error("cannot read the configuration", metadata: [
                    "code": "\(LogCode.devicesConfigNotRead)", "config": "\(path)", "error": "\(error)"])
                return .failed
            }
            logger.warning("configuration not read; Bluetooth names (bluetooth.devices) are not applied and the default profile directories are listed",
                           metadata: ["code": "\(LogCode.devicesConfigNotRead)", "config": "\(path)", "error": "\(error)"])
            return .skipped
        }
    }

    /// The profiles in `directories`; files with errors are skipped with a warning.
    private static func loadCatalog(_ directories: [String], logger: Logger) -> ProfileCatalog {
        let (catalog, issues) = ProfileCatalog.load(directories: directories, families: .builtIn)
        for issue in issues {
            logger.warning("device profile skipped", metadata: ["code": "\(LogCode.devicesProfileSkipped)", "issue": "\(issue)"])
        }
        if catalog.profiles.isEmpty {
            logger.warning("no device profiles found; no port will be claimed",
                           metadata: ["code": "\(LogCode.devicesNoProfiles)", "searched": "\(directories.joined(separator: ", "))"])
        }
        return catalog
    }

    /// The running daemon's probe verdicts and device problems by device node; empty when its
    /// status file is not readable (no daemon, another user).
    private static func daemonVerdicts(_ path: String) -> (verdicts: [String: String], problems: [String: String]) {
        guard let status = try? StatusFile(path: path).read() else { return ([:], [:]) }
        var verdicts: [String: String] = [:]
        var problems: [String: String] = [:]
        for device in status.devices {
            if let verdict = device.verdict { verdicts[device.devnode] = verdict }
            if let problem = device.problem { problems[device.devnode] = problem }
        }
        return (verdicts, problems)
    }

    private static func reason(_ signal: Int32) -> String {
        switch signal {
        case WatchSession.wakeSignal: "event limit reached"
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }
}
