/// Decides, at each watchdog tick, whether to confirm liveness to systemd (`WATCHDOG=1`).
///
/// While an activity is stalled the daemon stops pinging, so systemd's `WatchdogSec=` runs out
/// and it restarts pocgate (`Restart=on-failure`). The first stalled tick is reported, and so
/// is the recovery if the activity moves again before systemd acts.
package struct WatchdogGate {
    /// What the tick should do.
    package enum Action: Equatable {
        /// Healthy: send `WATCHDOG=1`.
        case ping
        /// Healthy again after a stall: log it, then send `WATCHDOG=1`.
        case recovered(from: String)
        /// Newly stalled: log it and withhold the ping.
        case stalled(name: String, quiet: Duration)
        /// Still stalled: withhold the ping silently.
        case stillStalled
    }

    private(set) var stalledName: String?

    package mutating func tick(stalled: (name: String, quiet: Duration)?) -> Action {
        switch (stalled, stalledName) {
        case (nil, nil):
            return .ping
        case (nil, let previous?):
            stalledName = nil
            return .recovered(from: previous)
        case (let now?, nil):
            stalledName = now.name
            return .stalled(name: now.name, quiet: now.quiet)
        case (let now?, _?):
            stalledName = now.name
            return .stillStalled
        }
    }
}
