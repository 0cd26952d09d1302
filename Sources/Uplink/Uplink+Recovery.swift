
extension Uplink {
    /// What a probe of the data center found.
    enum ProbeResult {
        case answers, silent, cancelled
    }

    /// When the worker probes the center next (Unix ms), while the link is down.
    var probeDueAtMillis: Int64? { drainLock.withLock { _ in recovery.probeAtMillis } }

    /// A `HEAD` of the upload URL: any HTTP answer means the center is back.
    func probeCenter() -> ProbeResult {
        do {
            _ = try client.head(url: settings.url, headers: ["X-Pocgate-Gateway: \(signer.gatewayID)"])
            return .answers
        } catch .cancelled {
            return .cancelled
        } catch {
            return .silent
        }
    }
}
