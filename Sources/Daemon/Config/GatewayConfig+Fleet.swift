package import DeviceProfiles

package extension GatewayConfig {
    /// The fewest seconds between two timed heartbeats: a province's center takes a
    /// thousand gateways, so a typo such as `9` must not make one call it every 9 s.
    static let heartbeatMinimumSeconds = 60

    /// The values `metrics.format` may take (`MetricsText.Format`'s raw values; a test keeps
    /// the two lists equal, so the configuration reader needs nothing of the metrics writer).
    static let metricsFormats = ["prometheus", "openmetrics"]

    /// `heartbeat.interval_s`, `metrics.textfile` and `metrics.format`.
    static func parseFleet(_ top: YAMLMap, into config: inout GatewayConfig) throws(YAMLIssue) {
        if let heartbeat = try top.map("heartbeat") {
            if let seconds = try heartbeat.int("interval_s", in: 0...86_400) {
                guard seconds == 0 || seconds >= heartbeatMinimumSeconds else {
                    throw heartbeat.issue("interval_s", "'heartbeat.interval_s' must be 0 (no heartbeat) or at least "
                                          + "\(heartbeatMinimumSeconds) seconds, not \(seconds)")
                }
                config.heartbeatIntervalSeconds = seconds
            }
            try heartbeat.finish()
        }
        if let metrics = try top.map("metrics") {
            if let path = try pathValue(metrics, "textfile") {
                guard path.hasPrefix("/"), path.hasSuffix(".prom"), !path.hasSuffix("/.prom") else {
                    throw metrics.issue("textfile", "'metrics.textfile' must be an absolute path ending in .prom (node_exporter "
                                        + "reads only those), e.g. /var/lib/prometheus/node-exporter/pocgate.prom, not '\(path)'")
                }
                config.metricsTextfile = path
            }
            config.metricsFormat = try metrics.choice("format", from: Self.metricsFormats)
                ?? config.metricsFormat
            try metrics.finish()
        }
    }
}
