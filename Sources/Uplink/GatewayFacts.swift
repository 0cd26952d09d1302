/// What the heartbeat says about the gateway beyond its store: who it is, which pocgate it
/// runs, since when, and how often it reports.
public struct GatewayFacts: Sendable, Equatable {
    /// The gateway id (`gateway.id`, or derived from /etc/machine-id).
    public var gatewayID: String
    /// The pocgate version.
    public var version: String
    /// When the daemon started, Unix milliseconds.
    public var startedAtMillis: Int64
    /// `heartbeat.interval_s`: the center may call the gateway silent once this passes
    /// without a heartbeat.
    public var intervalSeconds: Int

    public init(gatewayID: String, version: String, startedAtMillis: Int64, intervalSeconds: Int) {
        self.gatewayID = gatewayID
        self.version = version
        self.startedAtMillis = startedAtMillis
        self.intervalSeconds = intervalSeconds
    }
}
