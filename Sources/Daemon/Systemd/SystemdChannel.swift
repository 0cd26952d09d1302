import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Logging
import PocGateCore
import Synchronization

/// The daemon's line to systemd: sends notifications when started with `$NOTIFY_SOCKET`,
/// does nothing otherwise, and reports a failing socket once in the log instead of on every
/// notification.
package final class SystemdChannel: @unchecked Sendable {
    private let notifier: SystemdNotifier?
    private let setupProblem: NotifyError?
    /// The logger problems go to once attached, and whether the one report was made.
    private let reporting = Mutex<(logger: Logger?, reported: Bool)>((nil, false))

    /// Whether systemd listens (`$NOTIFY_SOCKET` was set).
    package var isActive: Bool { notifier != nil }

    package init(environment: [String: String]) {
        do {
            notifier = try SystemdNotifier(environment: environment)
            setupProblem = nil
        } catch {
            notifier = nil
            setupProblem = error
        }
    }

    /// Starts reporting problems to `logger` (once logging is set up), beginning with a bad
    /// `$NOTIFY_SOCKET`.
    package func attach(_ logger: Logger) {
        reporting.withLock { $0.logger = logger }
        if let setupProblem { report(setupProblem) }
    }

    /// Sends `assignments` (`READY=1`, `STATUS=…`) as one notification.
    package func send(_ assignments: [String]) {
        guard let notifier else { return }
        do {
            try notifier.notify(assignments)
        } catch {
            report(error)
        }
    }

    private func report(_ error: NotifyError) {
        let logger: Logger? = reporting.withLock { r in
            guard !r.reported, let logger = r.logger else { return nil }
            r.reported = true
            return logger
        }
        logger?.warning("cannot notify systemd; it may consider pocgate failed or hung",
                        metadata: ["code": "\(LogCode.notifyFailed)", "error": "\(error)"])
    }
}
