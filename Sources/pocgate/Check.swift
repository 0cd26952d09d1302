import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate check`: is this box ready to run the daemon? Read-only.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration, profiles, file permissions, clock and TLS files before starting.",
        discussion: """
            Loads the configuration and the device profiles as `pocgate run` would, and inspects \
            the store's directory and files, the signing key, the clock, the CA file, the client \
            certificate and key and the proxy. Changes nothing. Each problem is printed with its \
            fix. Exit status: 0 ready (warnings may be printed); 78 a configuration value is wrong \
            or unfinished; 77 a file's owner or mode is wrong; 66 a file the configuration names \
            cannot be read. `pocgate uplink test` checks the link to the center itself.
            """)

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func run() throws {
        let code = CheckMain.check(configPath: config)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `pocgate uplink …`: the link to the data center.
struct UplinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplink", abstract: "Test the link to the data center.", subcommands: [UplinkTest.self])
}

/// `pocgate uplink test`: a TLS handshake and a FHIR `metadata` read, nothing sent.
struct UplinkTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Connect to the data center and read its FHIR metadata, with the daemon's TLS settings.",
        discussion: """
            Uses uplink.url, uplink.ca_file, the client certificate and key, the proxy and the \
            timeouts of the configuration. Sends no reading. Tells apart: cannot connect, timed out, \
            TLS handshake broken off, the center's certificate rejected, this gateway's client \
            certificate refused, authentication refused, not a FHIR R4 server, and server trouble. \
            Exit status: 0 ready; 69 the center cannot be reached or is failing; 77 authentication \
            or the client certificate refused; 78 wrong CA, URL or FHIR version.
            """)

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String = "/etc/pocgate/pocgate.yaml"

    func run() throws {
        let code = CheckMain.uplinkTest(configPath: config)
        if code != 0 { throw ExitCode(code) }
    }
}
