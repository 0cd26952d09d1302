/// A reading of a settled batch that goes back to the outbox for a later batch.
public struct BatchDeferral: Sendable, Equatable {
    /// The reading going back to the outbox.
    public var readingID: Int64
    /// Why (kept in its outbox row).
    public var error: String
    /// When it may go into a batch again, Unix milliseconds.
    public var nextAttemptAtMillis: Int64

    public init(readingID: Int64, error: String, nextAttemptAtMillis: Int64) {
        self.readingID = readingID
        self.error = error
        self.nextAttemptAtMillis = nextAttemptAtMillis
    }
}
