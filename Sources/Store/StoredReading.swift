public import PocGateCore

/// A reading as kept in the store, with its row id and delivery state.
public struct StoredReading: Sendable, Equatable {
    /// The row id; stable for the life of the database.
    public var id: Int64
    /// The reading itself.
    public var reading: Reading
    /// When the gateway received it (Unix milliseconds).
    public var receivedAtMillis: Int64
    /// How many delivery attempts have failed so far.
    public var attempts: Int

    public init(id: Int64, reading: Reading, receivedAtMillis: Int64, attempts: Int) {
        self.id = id
        self.reading = reading
        self.receivedAtMillis = receivedAtMillis
        self.attempts = attempts
    }
}

/// What `Store.insert` did with a reading.
public enum InsertOutcome: Sendable, Equatable {
    /// The reading is new; it was stored and queued for delivery.
    case inserted(id: Int64)
    /// A reading with the same device serial and record key is already stored; nothing changed.
    case duplicate(id: Int64)

    /// The row id of the stored reading, in both cases.
    public var id: Int64 {
        switch self {
        case .inserted(let id), .duplicate(let id): return id
        }
    }
}
