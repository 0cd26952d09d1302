import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate run`: the daemon.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway daemon (systemd runs this).",
        discussion: """
            Serves until SIGTERM or SIGINT; SIGHUP re-reads the device profiles. Under systemd \
            (Type=notify) it reports READY=1, STATUS= lines and watchdog pings through \
            $NOTIFY_SOCKET, and logs to the journal with one POCGATE_* field per detail. \
            Exit status: 0 stopped by a signal; otherwise the code every command gives for the \
            cause: 78 configuration refused, 77 a file refused for its owner or mode, 66 the \
            configuration or every device profile missing, 69 libudev unavailable, 70 anything else.
            """)

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func run() throws {
        let code = DaemonMain.run(configPath: config)
        if code != 0 { throw ExitCode(code) }
    }
}
