package import Logging
import PocGateCore
package import Services
#if canImport(Glibc)
import Glibc
#endif

/// The main thread's loop once the gateway serves: takes signals one at a time, and between
/// them confirms liveness to systemd's watchdog when every activity makes progress.
///
/// Without a watchdog it blocks in `sigwait` and never wakes on its own.
package struct ServiceLoop {
    package let signals: SignalWaiter
    package let systemd: SystemdChannel
    package let gateway: Gateway
    package let publisher: StatusPublisher
    /// The running services, stopped (in reverse start order) on SIGTERM/SIGINT.
    package let services: ServiceGroup
    package let logger: Logger
    /// How often to send `WATCHDOG=1` (half of `WatchdogSec=`); nil without a watchdog.
    package let watchdogInterval: Duration?

    /// Serves until SIGTERM or SIGINT, then stops the gateway.
    package func run() {
        var gate = WatchdogGate()
        var nextTick = watchdogInterval.map { ContinuousClock.now + $0 }
        if watchdogInterval != nil { tick(&gate) }
        while true {
            let signal = signals.next(until: nextTick)
            if let interval = watchdogInterval, let due = nextTick, ContinuousClock.now >= due {
                tick(&gate)
                nextTick = .now + interval
            }
            switch signal {
            case nil:
                continue
            case SIGHUP?:
                reload()
            case let sig?:
                stop(signal: sig)
                return
            }
        }
    }

    private func tick(_ gate: inout WatchdogGate) {
        switch gate.tick(stalled: gateway.stalledActivity()) {
        case .ping:
            systemd.send(["WATCHDOG=1"])
        case .recovered(let name):
            logger.notice("progress again; confirming liveness to systemd", metadata: ["activity": "\(name)"])
            publisher.set(stalled: nil)
            systemd.send(["WATCHDOG=1"])
        case .stalled(let name, let quiet):
            logger.critical("no progress: withholding the watchdog ping, systemd will restart pocgate",
                            metadata: ["code": "\(LogCode.watchdogStalled)", "activity": "\(name)",
                                       "quiet_s": "\(Int(quiet / .seconds(1)))"])
            publisher.set(stalled: name)
        case .stillStalled:
            break
        }
    }

    private func reload() {
        logger.info("SIGHUP: reloading device profiles")
        publisher.set(state: .reloading, ready: true, notify: false)
        systemd.send(["RELOADING=1", "MONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())",
                      "STATUS=" + publisher.statusLine])
        gateway.reloadProfiles()
        publisher.set(state: .running, ready: true, notify: false)
        systemd.send(["READY=1", "STATUS=" + publisher.statusLine])
    }

    private func stop(signal: Int32) {
        logger.info("stopping", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
        publisher.set(state: .stopping, ready: false, notify: false)
        systemd.send(["STOPPING=1", "STATUS=" + publisher.statusLine])
        services.stop()
    }
}
