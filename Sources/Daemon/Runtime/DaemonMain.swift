import DeviceProfiles
import FoundationEssentials
import Logging
import PocGateCore
import Services
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate run`: loads the configuration, starts the gateway, tells systemd it is ready, and
/// serves until SIGTERM/SIGINT. SIGHUP re-reads the device profiles.
public enum DaemonMain {
    /// Runs the daemon; returns the process exit code.
    public static func run(configPath: String) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let signals = SignalWaiter()
        let systemd = SystemdChannel(environment: environment)
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            LogSetup.bootstrap(level: .info)
            let logger = Logger(label: "pocgate")
            systemd.attach(logger)
            logger.critical("configuration refused, not starting", metadata: ["code": "\(LogCode.configRefused)", "error": "\(error)"])
            systemd.send(["STATUS=" + LogRedactor().redact("Configuration refused: \(error)")])
            // EX_CONFIG (or 66/77 for a file not there or not readable): systemd's
            // RestartPreventExitStatus keeps Restart=on-failure from looping on a typo.
            return ExitStatus.configRefused(path: configPath).rawValue
        }
        let logging = LogSetup.bootstrap(level: config.logLevel, target: config.logTarget,
                                         journalSocket: config.journalSocketPath, environment: environment)
        let logger = Logger(label: "pocgate")
        systemd.attach(logger)
        if let problem = logging.problem {
            logger.warning("journal unavailable, logging to stderr",
                           metadata: ["code": "\(LogCode.journalUnavailable)", "error": "\(problem)"])
        }
        warnIfWorldReadable(configPath, logger: logger)
        for sentence in config.unfinishedSetup {
            logger.warning("setup unfinished: \(sentence)", metadata: ["code": "\(LogCode.setupUnfinished)", "file": "\(configPath)"])
        }
        systemd.send(["STATUS=Opening the store and loading device profiles"])
        let watchdog = SystemdNotifier.watchdogInterval(environment: environment, pid: getpid())
        let gateway: Gateway
        let publisher: StatusPublisher
        do {
            gateway = try Gateway(config: config, logger: logger)
        } catch {
            return cannotStart(error, error.exitCode, logger: logger, systemd: systemd)
        }
        publisher = StatusPublisher(gateway: gateway, file: StatusFile.resolve(statusPath: config.statusPath, storePath: config.storePath),
                                    systemd: systemd, logger: logger, storePath: config.storePath, watchdog: watchdog,
                                    fleet: FleetReporter.make(config: config, gateway: gateway, logger: logger),
                                    cancelFleet: { [heartbeat = gateway.heartbeat] in heartbeat?.cancel() })
        gateway.observe(changes: { publisher.markChanged() }, uploads: { publisher.recordUpload($0) })
        // A change in a profile directory reloads through the same path as `systemctl reload`:
        // a SIGHUP to ourselves, taken by the service loop (RELOADING=1 … READY=1).
        let watcher = config.profilesWatch
            ? ProfileWatcher(directories: config.profilePaths, debounce: .milliseconds(config.profilesWatchDebounceMillis),
                             logger: logger, changed: { _ = kill(getpid(), SIGHUP) })
            : nil
        // The one place the long-running parts start, in this order, and stop, in the reverse:
        // the status publisher first (it reports the start and, last, the stop), then the
        // gateway (uplink worker, discovery, port workers), then the profile watcher.
        let services = ServiceGroup()
        do {
            try services.start([publisher, gateway] + (watcher.map { [$0] } ?? []))
        } catch let error as GatewayError {
            return cannotStart(error, error.exitCode, logger: logger, systemd: systemd)
        } catch {
            return cannotStart(error, 70, logger: logger, systemd: systemd)
        }
        publisher.set(state: .running, ready: true, notify: false)
        systemd.send(["READY=1", "STATUS=" + publisher.statusLine])
        logger.info("running", metadata: ["store": "\(config.storePath)", "uplink": "\(config.uplinkURL)",
                                          "gateway": "\(gateway.gatewayID)", "log": "\(logging.target)", "watchdog_s": "\(watchdog.map { "\(Int($0 * 2 / .seconds(1)))" } ?? "off")"])
        ServiceLoop(signals: signals, systemd: systemd, gateway: gateway, publisher: publisher, services: services, logger: logger,
                    watchdogInterval: watchdog).run()
        return 0
    }

    private static func cannotStart(_ error: any Error, _ code: Int32, logger: Logger, systemd: SystemdChannel) -> Int32 {
        logger.critical("cannot start", metadata: ["code": "\(LogCode.startFailed)", "error": "\(error)"])
        systemd.send(["STATUS=" + LogRedactor().redact("Cannot start: \(error)")])
        return code
    }

    private static func warnIfWorldReadable(_ path: String, logger: Logger) {
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IROTH != 0 {
            logger.warning("configuration file is world-readable; chmod o-r it",
                           metadata: ["code": "\(LogCode.configWorldReadable)", "file": "\(path)"])
        }
    }
}
