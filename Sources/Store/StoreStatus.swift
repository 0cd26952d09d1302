/// What the store says about the gateway's state, for `pocgate status` and the daemon's
/// status line. Times are Unix milliseconds.
public struct StoreStatus: Sendable, Equatable, Codable {
    /// All readings ever stored.
    public var readings: Int
    /// Readings waiting in the outbox (the queue depth).
    public var pending: Int
    /// Readings the data center has acknowledged.
    public var delivered: Int
    /// When the oldest undelivered reading was received; nil when nothing is pending.
    public var oldestPendingReceivedAtMillis: Int64?
    /// Outbox rows whose last delivery attempt failed (the errors themselves stay in the
    /// database: they may quote the server's diagnostics).
    public var pendingWithError: Int
    /// When the data center last acknowledged a reading.
    public var lastDeliveredAtMillis: Int64?
    /// Device sessions ever recorded.
    public var sessions: Int
    /// When the most recent session started.
    public var lastSessionStartedAtMillis: Int64?
    /// The database's schema version.
    public var schemaVersion: Int

    public init(readings: Int, pending: Int, delivered: Int, oldestPendingReceivedAtMillis: Int64?,
                pendingWithError: Int, lastDeliveredAtMillis: Int64?, sessions: Int,
                lastSessionStartedAtMillis: Int64?, schemaVersion: Int) {
        self.readings = readings
        self.pending = pending
        self.delivered = delivered
        self.oldestPendingReceivedAtMillis = oldestPendingReceivedAtMillis
        self.pendingWithError = pendingWithError
        self.lastDeliveredAtMillis = lastDeliveredAtMillis
        self.sessions = sessions
        self.lastSessionStartedAtMillis = lastSessionStartedAtMillis
        self.schemaVersion = schemaVersion
    }
}
