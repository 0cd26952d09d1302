import Daemon
extension StatusReport {
    /// The exit code of `pocgate status`: 0 OK, 1 needs attention, or, when the database could
    /// not be looked at, the code every command gives for that cause (66 not there, 77 refused
    /// or not readable, 65 not a pocgate database, 78 a newer schema).
    public var exitCode: Int32 {
        if let cause { return cause.rawValue }
        return health == .ok ? 0 : ExitStatus.verdict.rawValue
    }

    /// The monitoring-plugin state (Nagios, Icinga, Zabbix, Checkmk).
    public enum PluginState: Int32, Sendable {
        case ok = 0, warning = 1, critical = 2, unknown = 3

        var label: String {
            switch self {
            case .ok: return "OK"
            case .warning: return "WARNING"
            case .critical: return "CRITICAL"
            case .unknown: return "UNKNOWN"
            }
        }
    }

    /// OK when all is well; CRITICAL when the daemon is not running; UNKNOWN when the database
    /// cannot be read; WARNING for anything else that needs attention.
    public var pluginState: PluginState {
        switch health {
        case .ok: return .ok
        case .unreadable: return .unknown
        case .attention: return daemon.running ? .warning : .critical
        }
    }

    /// The one line a monitoring plugin prints: `POCGATE OK - summary|perfdata`, with the
    /// first problem as the summary when there is one. Perfdata: queue depth, oldest pending
    /// age (seconds, warning at `--max-age`), connected devices, undelivered readings with a
    /// failed attempt.
    public func pluginLine() -> String {
        let state = pluginState
        let summary: String
        if let first = problems.first {
            summary = problems.count > 1 ? "\(first) (and \(problems.count - 1) more)" : first
        } else {
            summary = "running, \(devices.count) device\(devices.count == 1 ? "" : "s"), "
                + "\(queue.depth ?? 0) reading\(queue.depth == 1 ? "" : "s") queued"
        }
        var perf = ["queue_depth=\(queue.depth.map(String.init) ?? "U");;;0",
                    "oldest_pending_age=\(queue.oldestPendingAgeSeconds.map { "\($0)s" } ?? "0s");\(queue.maxAgeSeconds);;0",
                    "devices=\(devices.count);;;0"]
        if let failed = queue.withFailedAttempts { perf.append("failed_attempts=\(failed);;;0") }
        return "POCGATE \(state.label) - \(Self.pluginText(summary))|" + perf.joined(separator: " ")
    }

    /// The plugin line for a status that could not be gathered at all (the configuration).
    public static func pluginUnknown(_ reason: String) -> String {
        "POCGATE UNKNOWN - \(pluginText(reason))"
    }

    /// One line, without the `|` that starts perfdata.
    static func pluginText(_ text: String) -> String {
        String(text.map { $0 == "|" ? "/" : $0.isNewline ? " " : $0 })
    }
}
