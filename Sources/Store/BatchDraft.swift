/// A batch about to be recorded: the store gives it its sequence and previous hash.
public struct BatchDraft: Sendable {
    /// The gateway that signs it.
    public var gatewayID: String
    /// The request body (uncompressed FHIR JSON).
    public var body: [UInt8]
    /// SHA-256 (hex) of `body`.
    public var bodySHA256: String
    /// What each entry of the body stands for (opaque to the store).
    public var manifest: String
    /// The readings it carries, all queued and in no other batch.
    public var readingIDs: [Int64]

    public init(gatewayID: String, body: [UInt8], bodySHA256: String, manifest: String, readingIDs: [Int64]) {
        self.gatewayID = gatewayID
        self.body = body
        self.bodySHA256 = bodySHA256
        self.manifest = manifest
        self.readingIDs = readingIDs
    }
}
