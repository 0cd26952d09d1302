import Foundation
package import Logging
import PocGateCore

/// The daemon's line to systemd: sends notifications when started with `$NOTIFY_SOCKET`,
/// does nothing otherwise, and reports a failing socket once in the log instead of on every
/// notification.
package final class SystemdChannel: @unchecked Sendable {
    private let notifier: SystemdNotifier?
    private let setupProblem: NotifyError?
    private let lock = NSLock()
    private var logger: Logger?
    private var reported = false

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
        lock.withLock { self.logger = logger }
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
        let logger: Logger? = lock.withLock {
            guard !reported, let logger = self.logger else { return nil }
            reported = true
            return logger
        }
        logger?.warning("cannot notify systemd; it may consider pocgate failed or hung",
                        metadata: ["code": "\(LogCode.notifyFailed)", "error": "\(error)"])
    }
}
