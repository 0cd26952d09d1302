/// What `Store.refuseBatch` did with the readings of a batch refused as a whole.
public enum BatchRefusal: Sendable, Equatable {
    /// They went back to the outbox; the next batches hold at most `limit` of them each.
    case split(limit: Int)
    /// The batch held one reading: it is now a dead letter.
    case deadLettered(readingID: Int64)
}
