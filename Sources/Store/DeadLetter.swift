/// A reading the data center refused for good, kept with the server's answer until a person
/// retries it (back into the outbox) or drops it (kept, marked dropped, never sent).
public struct DeadLetter: Sendable, Equatable {
    /// The reading, with its provenance.
    public var reading: StoredReading
    /// The batch whose answer refused it.
    public var batchSequence: Int64?
    /// The HTTP status of the refusal.
    public var httpStatus: Int?
    /// Why, as logged.
    public var reason: String
    /// The server's answer (diagnostics or body), which may echo clinical content: shown by
    /// `pocgate queue dead show`, never logged.
    public var response: String?
    /// Send attempts, the refusing one included.
    public var attempts: Int
    /// When it was refused, Unix milliseconds.
    public var deadAtMillis: Int64
    /// When a person dropped it, if they did.
    public var droppedAtMillis: Int64?
    /// Why it was dropped.
    public var dropReason: String?

    public init(reading: StoredReading, batchSequence: Int64?, httpStatus: Int?, reason: String, response: String?,
                attempts: Int, deadAtMillis: Int64, droppedAtMillis: Int64?, dropReason: String?) {
        self.reading = reading
        self.batchSequence = batchSequence
        self.httpStatus = httpStatus
        self.reason = reason
        self.response = response
        self.attempts = attempts
        self.deadAtMillis = deadAtMillis
        self.droppedAtMillis = droppedAtMillis
        self.dropReason = dropReason
    }
}
