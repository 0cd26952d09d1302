import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Uplink

/// `pocgate check` and `pocgate uplink test`: print the findings, return a sysexits code.
public enum CheckMain {
    /// Runs `pocgate check`; returns 0, or 66/77/78 as `GatewayCheck.exitCode` says.
    public static func check(configPath: String) -> Int32 {
        let findings = GatewayCheck().run(configPath: configPath)
        Console.out(GatewayCheck.text(findings))
        let code = GatewayCheck.exitCode(findings)
        let failed = findings.filter { $0.verdict == .failed }.count
        let warned = findings.filter { $0.verdict == .warning }.count
        Console.out(failed == 0 ? "pocgate check: ready\(warned > 0 ? " (\(warned) warning\(warned == 1 ? "" : "s"))" : "")"
                          : "pocgate check: \(failed) problem\(failed == 1 ? "" : "s") to fix (exit \(code))")
        return code
    }

    /// Runs `pocgate uplink test`: one `metadata` read from the center with the daemon's own
    /// TLS settings; returns 0, 69, 77 or 78 (`UplinkProbe.Outcome.exitCode`).
    public static func uplinkTest(configPath: String) -> Int32 {
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            Console.err("pocgate uplink test: cannot read the configuration: \(error)")
            return ExitStatus.configRefused(path: configPath).rawValue
        }
        let outcome = UplinkProbe.run(settings: config.uplinkSettings)
        let url = UplinkProbe.metadataURL(base: config.uplinkURL)
        Console.out("\(outcome.exitCode == 0 ? "ok" : "FAILED") \(url): \(outcome.explanation)")
        return outcome.exitCode
    }
}
