internal import CCurl

/// The uplink's back-off state, kept in memory only: a restart of the daemon starts from the
/// base delay again (the store's attempt counts stay, for `pocgate queue`, but no longer set
/// the delay), and so does any answer of the data center that is not a failure.
///
/// While the link is down (connection refused, name not resolved, connect timeout, TLS
/// handshake broken off) the worker also probes the center once per base interval with a
/// `HEAD` of the upload URL: a single cheap answer ends the back-off, so after an outage the
/// first upload starts within one base interval of the center answering, however long the
/// back-off had grown.
struct UplinkRecovery {
    /// Consecutive failed attempts since the last answer that was not a failure.
    private(set) var failures = 0
    /// When the next probe may run (Unix ms); nil when the last failure was not the link's.
    private(set) var probeAtMillis: Int64?
    /// Whether this run already made the retries of earlier runs due (done once, on the
    /// first drain, with the drain's clock).
    var scheduleRestarted = false

    /// The delay before the next attempt after a failure, counting it; arms the probe when
    /// the failure means the center could not be reached.
    mutating func failed(_ failure: DeliveryFailure, policy: RetryPolicy, nowMillis: Int64,
                         unit: Double = Double.random(in: -1...1)) -> Int64 {
        let delay = policy.delayMillis(attempts: failures, unit: unit)
        failures += 1
        probeAtMillis = Self.linkDown(failure) ? nowMillis + Self.probeInterval(policy, unit: unit) : nil
        return delay
    }

    /// The center answered and asked for later (`Retry-After`): not a failure, so the
    /// back-off neither grows nor restarts, and there is nothing to probe.
    mutating func askedToWait() {
        probeAtMillis = nil
    }

    /// The center answered (2xx, or a refusal of the content): the back-off starts from its
    /// base again.
    mutating func answered() {
        failures = 0
        probeAtMillis = nil
    }

    /// A probe got no answer: the next one in one base interval.
    mutating func probeFailed(policy: RetryPolicy, nowMillis: Int64, unit: Double = Double.random(in: -1...1)) {
        probeAtMillis = nowMillis + Self.probeInterval(policy, unit: unit)
    }

    /// One base interval, jittered downwards only (80–100 %) so the bound holds and a fleet
    /// coming back does not probe in step.
    static func probeInterval(_ policy: RetryPolicy, unit: Double) -> Int64 {
        let fraction = 1 - policy.jitter * (min(max(unit, -1), 1) + 1) / 2
        return max(RetryPolicy.minimumDelayMillis, Int64((policy.baseSeconds * fraction * 1000).rounded()))
    }

    /// Whether `failure` means no connection to the center could be made: then a probe tells
    /// cheaply when it is back. Failures after the center answered (an HTTP status, a timeout
    /// mid-transfer, a reset after the handshake, a rejected certificate) are not probed, or
    /// a center that accepts connections but fails uploads would get one every base interval.
    static func linkDown(_ failure: DeliveryFailure) -> Bool {
        guard case .transport(let error) = failure else { return false }
        switch error {
        case .connectFailed:
            return true
        case .timedOut(_, let detail):
            // curl: "Connection timed out after …", "Failed to connect …", "Resolving timed out …".
            let text = detail.lowercased()
            return text.contains("connection timed out") || text.contains("failed to connect")
                || text.contains("resolving timed out")
        case .tls(let code, _):
            guard code == Int32(CURLE_SSL_CONNECT_ERROR.rawValue) else { return false }
            if case .handshakeInterrupted = UplinkProbe.classify(error) { return true }
            return false
        default:
            return false
        }
    }
}
