public import Store

/// Why a batch was not delivered.
public enum DeliveryFailure: Sendable, Equatable, CustomStringConvertible {
    /// No HTTP answer: connection, timeout, TLS or redirect failure.
    case transport(TransportError)
    /// The server answered with a status that means "not now" or "not like this".
    case httpStatus(Int, detail: String)
    /// The server answered 2xx with a response that does not acknowledge the bundle.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .transport(let error): return error.description
        case .httpStatus(let status, let detail):
            return "the data center answered HTTP \(status)\(detail.isEmpty ? "" : " " + detail)"
        case .invalidResponse(let reason): return reason
        }
    }
}

/// What one `Uplink.drainOnce` did.
public enum DrainOutcome: Sendable, Equatable {
    /// Nothing in the outbox was due.
    case idle
    /// Readings are due but the batch is not full yet; it goes at `untilMillis` (when its
    /// oldest reading is `batchMaxWaitMillis` old) or as soon as it fills.
    case waiting(untilMillis: Int64)
    /// Every reading of the batch was acknowledged and left the outbox.
    case delivered(count: Int)
    /// The server answered entry by entry: some were acknowledged, `deferred` go back to the
    /// outbox for a later batch, `deadLettered` were refused for good.
    case partiallyDelivered(delivered: Int, deferred: Int, deadLettered: Int)
    /// Nothing was acknowledged; the same batch is sent again at `nextAttemptAtMillis`.
    case deferred(count: Int, failure: DeliveryFailure, nextAttemptAtMillis: Int64)
    /// The server refused the whole batch (413 or another 4xx): split in halves, or a single
    /// reading dead-lettered.
    case refused(count: Int, status: Int, outcome: BatchRefusal)
    /// The uplink is stopping; the batch stays queued, its attempt not counted.
    case cancelled
    /// The store failed; nothing was sent or nothing could be recorded (readings stay queued).
    case storeFailed(StoreError)

    /// How many readings left the outbox as delivered.
    public var deliveredCount: Int {
        switch self {
        case .delivered(let count): return count
        case .partiallyDelivered(let delivered, _, _): return delivered
        default: return 0
        }
    }
}
