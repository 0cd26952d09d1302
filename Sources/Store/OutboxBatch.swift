/// One signed batch: a request body built once, numbered in the gateway's chain, and sent
/// again byte for byte until the data center settles it.
public struct OutboxBatch: Sendable, Equatable {
    /// The batch's place in the gateway's chain: 1, 2, 3… with no gaps.
    public var sequence: Int64
    /// The gateway that signed it.
    public var gatewayID: String
    /// SHA-256 (hex) of the previous batch's body; 64 zeros for the first batch.
    public var previousSHA256: String
    /// SHA-256 (hex) of `body`.
    public var bodySHA256: String
    /// Ed25519 signature (base64) over `gateway|sequence|previous|sha256(body)`.
    public var signature: String
    /// The request body (uncompressed FHIR JSON), exactly as it is (re-)sent.
    public var body: [UInt8]
    /// What each entry of the body stands for, as the uplink wrote it.
    public var manifest: String
    /// How many readings it carries.
    public var readingCount: Int
    /// Failed sends so far.
    public var attempts: Int
    /// When it may be sent (again), Unix milliseconds.
    public var nextAttemptAtMillis: Int64
    /// When it was built.
    public var createdAtMillis: Int64
    /// Why the last send failed.
    public var lastError: String?

    public init(sequence: Int64, gatewayID: String, previousSHA256: String, bodySHA256: String, signature: String,
                body: [UInt8], manifest: String, readingCount: Int, attempts: Int, nextAttemptAtMillis: Int64,
                createdAtMillis: Int64, lastError: String?) {
        self.sequence = sequence
        self.gatewayID = gatewayID
        self.previousSHA256 = previousSHA256
        self.bodySHA256 = bodySHA256
        self.signature = signature
        self.body = body
        self.manifest = manifest
        self.readingCount = readingCount
        self.attempts = attempts
        self.nextAttemptAtMillis = nextAttemptAtMillis
        self.createdAtMillis = createdAtMillis
        self.lastError = lastError
    }

    /// The `previous` of the first batch in a chain.
    public static let chainStart = String(repeating: "0", count: 64)
}
