/// The delivery queue at a glance, for `pocgate queue`.
public struct QueueSummary: Sendable, Equatable {
    /// Readings ever stored (pruned ones not counted).
    public var readings: Int
    /// Readings waiting in the outbox (the queue depth).
    public var pending: Int
    /// Readings the data center acknowledged and still kept.
    public var delivered: Int
    /// When the oldest undelivered reading was received, Unix milliseconds.
    public var oldestPendingReceivedAtMillis: Int64?
    /// The most recent delivery error still relevant (pending batch or queued reading).
    public var lastError: String?
    /// Dead letters waiting for a person.
    public var deadLetters: Int
    /// Dead letters a person dropped.
    public var droppedDeadLetters: Int
    /// The batch in flight: sequence, failed sends, next attempt (Unix ms).
    public var pendingBatch: (sequence: Int64, attempts: Int, nextAttemptAtMillis: Int64)?
    /// The newest batch sequence (0 before the first batch).
    public var lastSequence: Int64
    /// Bytes held by live database pages.
    public var databaseBytes: Int64
    /// Control-solution results: stored, never uploaded ("control results kept locally").
    public var controlResults: Int
    /// Readings held back from upload for an implausible device time, per reason; not in `pending`.
    public var heldReadings: [String: Int]
    /// Records a device sent that were not decoded, kept with their bytes (never uploaded).
    public var recordProblems: Int

    public init(readings: Int, pending: Int, delivered: Int, oldestPendingReceivedAtMillis: Int64?, lastError: String?,
                deadLetters: Int, droppedDeadLetters: Int,
                pendingBatch: (sequence: Int64, attempts: Int, nextAttemptAtMillis: Int64)?,
                lastSequence: Int64, databaseBytes: Int64, controlResults: Int = 0,
                heldReadings: [String: Int] = [:], recordProblems: Int = 0) {
        self.heldReadings = heldReadings
        self.recordProblems = recordProblems
        self.readings = readings
        self.pending = pending
        self.delivered = delivered
        self.oldestPendingReceivedAtMillis = oldestPendingReceivedAtMillis
        self.lastError = lastError
        self.deadLetters = deadLetters
        self.droppedDeadLetters = droppedDeadLetters
        self.pendingBatch = pendingBatch
        self.lastSequence = lastSequence
        self.databaseBytes = databaseBytes
        self.controlResults = controlResults
    }

    public static func == (a: QueueSummary, b: QueueSummary) -> Bool {
        a.readings == b.readings && a.pending == b.pending && a.delivered == b.delivered
            && a.oldestPendingReceivedAtMillis == b.oldestPendingReceivedAtMillis && a.lastError == b.lastError
            && a.deadLetters == b.deadLetters && a.droppedDeadLetters == b.droppedDeadLetters
            && a.controlResults == b.controlResults && a.heldReadings == b.heldReadings && a.recordProblems == b.recordProblems
            && a.pendingBatch?.sequence == b.pendingBatch?.sequence && a.pendingBatch?.attempts == b.pendingBatch?.attempts
            && a.pendingBatch?.nextAttemptAtMillis == b.pendingBatch?.nextAttemptAtMillis
            && a.lastSequence == b.lastSequence && a.databaseBytes == b.databaseBytes
    }
}
