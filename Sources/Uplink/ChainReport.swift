/// The result of checking a gateway's chain of batches as a receiver logged them.
public struct ChainReport: Sendable, Equatable {
    /// Requests read.
    public var requests: Int
    /// Distinct batches (sequences) with a valid signature.
    public var batches: Int
    /// Identical re-sends directly after the first send (the uplink's retries; harmless).
    public var resent: Int
    /// The lowest and highest sequence seen.
    public var firstSequence: Int64?
    public var lastSequence: Int64?
    /// Everything wrong, in the order found.
    public var findings: [ChainFinding]

    /// No finding: every batch is authentic, in order, once, with no gap.
    public var isIntact: Bool { findings.isEmpty }
}
