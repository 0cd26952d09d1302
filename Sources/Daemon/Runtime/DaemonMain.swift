import DeviceProfiles
import Foundation
public import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate run`: loads the configuration, starts the gateway, and serves until SIGTERM/SIGINT.
/// SIGHUP re-reads the device profiles.
public enum DaemonMain {
    /// Runs the daemon; returns the process exit code.
    public static func run(configPath: String) -> Int32 {
        let signals = SignalWaiter()
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            LogSetup.bootstrap(level: .info)
            Logger(label: "pocgate").critical("configuration refused, not starting", metadata: ["error": "\(error)"])
            return 78  // EX_CONFIG: systemd's Restart=on-failure will not loop on a typo forever
        }
        LogSetup.bootstrap(level: config.logLevel)
        let logger = Logger(label: "pocgate")
        warnIfWorldReadable(configPath, logger: logger)
        let gateway: Gateway
        do {
            gateway = try Gateway(config: config, logger: logger)
            try gateway.startWithDiscovery()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            return 1
        }
        logger.info("running", metadata: ["store": "\(config.storePath)", "uplink": "\(config.uplinkURL)",
                                          "gateway": "\(gateway.gatewayID)"])
        while true {
            let sig = signals.next()
            if sig == SIGHUP {
                logger.info("SIGHUP: reloading device profiles")
                gateway.reloadProfiles()
                continue
            }
            logger.info("stopping", metadata: ["signal": "\(sig == SIGTERM ? "SIGTERM" : "SIGINT")"])
            gateway.stop()
            return 0
        }
    }

    private static func warnIfWorldReadable(_ path: String, logger: Logger) {
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IROTH != 0 {
            logger.warning("configuration file is world-readable; chmod o-r it", metadata: ["file": "\(path)"])
        }
    }
}

/// Installs the logging backend once per process.
public enum LogSetup {
    private static let once = NSLock()
    nonisolated(unsafe) private static var done = false

    public static func bootstrap(level: Logger.Level) {
        once.lock()
        defer { once.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
    }
}
