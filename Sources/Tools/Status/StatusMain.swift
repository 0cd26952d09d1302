import Daemon
import DeviceProfiles
import Foundation

/// `pocgate status`: prints the gateway's state and returns the verdict's exit code.
public enum StatusMain {
    /// Reads `configPath`, gathers the report and prints it (JSON or text) to stdout.
    /// - Returns: 0 OK, 1 needs attention, 2 cannot read the configuration or the database.
    public static func run(configPath: String, json: Bool, maxAge: Duration) -> Int32 {
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            Console.err("pocgate status: cannot read the configuration: \(error)")
            return StatusReport.Health.unreadable.exitCode
        }
        let report = StatusReport.gather(config: config, maxAge: maxAge)
        if json { print(report.json()) } else { Console.out(report.text()) }
        return report.health.exitCode
    }
}
