import Daemon
import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate status`: prints the gateway's state and returns the verdict's exit code.
public enum StatusMain {
    /// The form of the report.
    public enum Form: Sendable {
        /// Lines for a person (exit 0 OK, 1 needs attention, else the cause's sysexits code).
        case text
        /// JSON for machines (same exit codes).
        case json
        /// One monitoring-plugin line (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
        case nagios
    }

    /// Reads `configPath`, gathers the report and prints it to stdout.
    /// - Returns: the exit code: `StatusReport.exitCode`, or for the plugin form
    ///   `StatusReport.pluginState`; a configuration that cannot be loaded gives the code every
    ///   command gives for it (66, 77, 78), or UNKNOWN (3) for the plugin form.
    public static func run(configPath: String, form: Form, maxAge: Duration) -> Int32 {
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            guard form != .nagios else {
                print(StatusReport.pluginUnknown("cannot read the configuration: \(error)"))
                return StatusReport.PluginState.unknown.rawValue
            }
            Console.err("pocgate status: cannot read the configuration: \(error)")
            return ExitStatus.configRefused(path: configPath).rawValue
        }
        let report = StatusReport.gather(config: config, maxAge: maxAge)
        switch form {
        case .text:
            Console.out(report.text())
            return report.exitCode
        case .json:
            print(report.json())
            return report.exitCode
        case .nagios:
            print(report.pluginLine())
            return report.pluginState.rawValue
        }
    }
}
