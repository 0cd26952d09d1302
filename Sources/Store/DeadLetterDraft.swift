/// A reading the data center refused for good, with its answer.
public struct DeadLetterDraft: Sendable, Equatable {
    /// The refused reading.
    public var readingID: Int64
    /// The HTTP status of the refusal (entry status or whole answer).
    public var httpStatus: Int?
    /// Why, safe to log.
    public var reason: String
    /// The server's answer (OperationOutcome diagnostics or body), kept in the store only.
    public var response: String?

    public init(readingID: Int64, httpStatus: Int?, reason: String, response: String?) {
        self.readingID = readingID
        self.httpStatus = httpStatus
        self.reason = reason
        self.response = response
    }
}
