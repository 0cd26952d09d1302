public import Store

/// Why a batch was not delivered.
public enum DeliveryFailure: Sendable, Equatable, CustomStringConvertible {
    /// No HTTP answer: connection, timeout or TLS failure.
    case transport(TransportError)
    /// The server answered with a non-2xx status.
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
    /// Every reading of the batch was acknowledged and left the outbox.
    case delivered(count: Int)
    /// The server accepted some entries and refused others; the refused ones stay queued.
    case partiallyDelivered(delivered: Int, deferred: Int)
    /// Nothing was acknowledged; the batch stays queued until `nextAttemptAtMillis`.
    case deferred(count: Int, failure: DeliveryFailure, nextAttemptAtMillis: Int64)
    /// The uplink is stopping; the batch stays queued, its attempt not counted.
    case cancelled
    /// The store failed; nothing was sent or nothing could be recorded (readings stay queued).
    case storeFailed(StoreError)

    /// How many readings left the outbox.
    public var deliveredCount: Int {
        switch self {
        case .delivered(let count): return count
        case .partiallyDelivered(let delivered, _): return delivered
        default: return 0
        }
    }
}
