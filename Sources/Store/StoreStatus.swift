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
    /// Control-solution results: stored, never uploaded ("control results kept locally").
    public var controlResults: Int
    /// Readings stored but held back from upload for an implausible device time, per reason
    /// (`clock-reset`, `before-earliest-year`, `in-future`); not counted in `pending`.
    public var heldReadings: [String: Int]
    /// All held readings.
    public var held: Int { heldReadings.values.reduce(0, +) }

    public init(readings: Int, pending: Int, delivered: Int, oldestPendingReceivedAtMillis: Int64?,
                pendingWithError: Int, lastDeliveredAtMillis: Int64?, sessions: Int,
                lastSessionStartedAtMillis: Int64?, schemaVersion: Int, controlResults: Int = 0,
                heldReadings: [String: Int] = [:]) {
        self.heldReadings = heldReadings
        self.readings = readings
        self.pending = pending
        self.delivered = delivered
        self.oldestPendingReceivedAtMillis = oldestPendingReceivedAtMillis
        self.pendingWithError = pendingWithError
        self.lastDeliveredAtMillis = lastDeliveredAtMillis
        self.sessions = sessions
        self.lastSessionStartedAtMillis = lastSessionStartedAtMillis
        self.schemaVersion = schemaVersion
        self.controlResults = controlResults
    }

    private enum CodingKeys: String, CodingKey {
        case readings, pending, delivered, oldestPendingReceivedAtMillis, pendingWithError, lastDeliveredAtMillis
        case sessions, lastSessionStartedAtMillis, schemaVersion, controlResults, heldReadings
    }

    /// Decodes a status file; one written before `controlResults` existed reads as 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(readings: try c.decode(Int.self, forKey: .readings), pending: try c.decode(Int.self, forKey: .pending),
                  delivered: try c.decode(Int.self, forKey: .delivered),
                  oldestPendingReceivedAtMillis: try c.decodeIfPresent(Int64.self, forKey: .oldestPendingReceivedAtMillis),
                  pendingWithError: try c.decode(Int.self, forKey: .pendingWithError),
                  lastDeliveredAtMillis: try c.decodeIfPresent(Int64.self, forKey: .lastDeliveredAtMillis),
                  sessions: try c.decode(Int.self, forKey: .sessions),
                  lastSessionStartedAtMillis: try c.decodeIfPresent(Int64.self, forKey: .lastSessionStartedAtMillis),
                  schemaVersion: try c.decode(Int.self, forKey: .schemaVersion),
                  controlResults: try c.decodeIfPresent(Int.self, forKey: .controlResults) ?? 0,
                  heldReadings: try c.decodeIfPresent([String: Int].self, forKey: .heldReadings) ?? [:])
    }
}
