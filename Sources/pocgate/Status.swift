import ArgumentParser
import Daemon
import Demo
import Sessions
import Tools

/// `pocgate status`: the gateway's state at a glance, read-only.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the daemon's state, connected devices, the upload queue and the last upload.",
        discussion: """
            Reads the runtime status file the daemon keeps (status.path, default \
            /run/pocgate/status.json) and the database, opened read-only: it never changes \
            either. Exit status: 0 OK; 1 needs attention (daemon not running or its status \
            stale, an undelivered reading older than --max-age, the last upload failed, an \
            activity stalled); otherwise the code every pocgate command gives for the cause: 66 \
            the configuration or the database is not there, 77 a file refused for its owner or \
            mode, 78 the configuration is refused. With --nagios: one monitoring-plugin line \
            (`POCGATE OK - …|perfdata`) and exit 0 OK, 1 WARNING, 2 CRITICAL (daemon not \
            running), 3 UNKNOWN (configuration or database unreadable).
            """)

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String = "/etc/pocgate/pocgate.yaml"

    @Flag(name: .long, help: "Print JSON for machines.")
    var json = false

    @Flag(name: .long, help: "Monitoring-plugin form: one line, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")
    var nagios = false

    func validate() throws {
        if json && nagios { throw ValidationError("--json and --nagios are two forms; give one") }
    }

    @Option(name: .customLong("max-age"), help: "Longest a reading may wait for the data center, e.g. 90m, 6h, 2d (default 24h).")
    var maxAge: AgeLimit = AgeLimit(seconds: 86_400)

    func run() throws {
        let code = StatusMain.run(configPath: config, form: nagios ? .nagios : json ? .json : .text,
                                  maxAge: .seconds(maxAge.seconds))
        if code != 0 { throw ExitCode(code) }
    }
}

/// `--max-age` values: a whole number with `s`, `m`, `h` or `d` (seconds without a unit).
struct AgeLimit: ExpressibleByArgument {
    let seconds: Int

    init(seconds: Int) { self.seconds = seconds }

    init?(argument: String) {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var digits = Substring(argument)
        var unit = 1
        if let last = argument.last, let factor = units[last] {
            digits = argument.dropLast()
            unit = factor
        }
        guard let n = Int(digits), n > 0 else { return nil }
        seconds = n * unit
    }
}
