import ArgumentParser
import Daemon
import Foundation

/// `pocgate run`: the daemon.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway daemon (systemd runs this).")

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func run() throws {
        let code = DaemonMain.run(configPath: config)
        if code != 0 { throw ExitCode(code) }
    }
}
