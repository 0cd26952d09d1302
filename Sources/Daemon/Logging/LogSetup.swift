import FoundationEssentials
public import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Installs the logging backend once per process.
public enum LogSetup {
    /// Whether a backend was installed (swift-log allows it once per process).
    private static let installed = Mutex(false)

    /// Installs `StderrLogHandler` at `level`.
    public static func bootstrap(level: Logger.Level) {
        _ = bootstrap(level: level, target: .stderr, journalSocket: JournalSocket.defaultPath, environment: [:])
    }

    /// Installs the backend `target` resolves to (see `LogTarget`).
    /// - Returns: the backend chosen (`.journal` or `.stderr`) and, when `.journal` was asked
    ///   for but could not be used, why.
    @discardableResult
    public static func bootstrap(level: Logger.Level, target: LogTarget, journalSocket: String,
                                 environment: [String: String])
        -> (target: LogTarget, problem: String?) {
        var chosen = LogTarget.stderr
        var problem: String?
        var journal: JournalSocket?
        let wantsJournal = target == .journal
            || (target == .auto && stderrIsJournal(environment) && access(journalSocket, F_OK) == 0)
        if wantsJournal {
            do {
                journal = try JournalSocket(path: journalSocket)
                chosen = .journal
            } catch {
                problem = error.description
            }
        }
        installed.withLock { installed in
            guard !installed else { return }
            installed = true
            if let journal {
                LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level, journal: journal) }
            } else {
                LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
            }
        }
        return (chosen, problem)
    }

    /// Whether `$JOURNAL_STREAM` (`device:inode`, set by systemd) names our stderr, i.e.
    /// stderr already goes to the journal and the native protocol may replace it.
    package static func stderrIsJournal(_ environment: [String: String]) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var st = stat()
        guard fstat(2, &st) == 0 else { return false }
        return UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
    }
}
