/// Counters describing what the store holds.
public struct StoreStats: Sendable, Equatable {
    /// All readings ever stored (delivered or not).
    public var readings: Int
    /// Readings waiting in the outbox.
    public var pending: Int
    /// Readings the data center has acknowledged.
    public var delivered: Int
    /// When the oldest undelivered reading was received, or nil when nothing is pending.
    public var oldestPendingReceivedAtMillis: Int64?

    public init(readings: Int, pending: Int, delivered: Int, oldestPendingReceivedAtMillis: Int64?) {
        self.readings = readings
        self.pending = pending
        self.delivered = delivered
        self.oldestPendingReceivedAtMillis = oldestPendingReceivedAtMillis
    }
}
