/// Where a stored reading came from, beyond the reading itself: which gateway decoded it and
/// with which exact device profile. The raw frame bytes and the session id are stored too.
public struct ReadingProvenance: Sendable, Hashable {
    /// The gateway's id (`gateway.id`).
    public var gatewayID: String?
    /// The profile's `version`.
    public var profileVersion: Int?
    /// The profile file's content hash.
    public var profileHash: String?

    public init(gatewayID: String? = nil, profileVersion: Int? = nil, profileHash: String? = nil) {
        self.gatewayID = gatewayID
        self.profileVersion = profileVersion
        self.profileHash = profileHash
    }
}
