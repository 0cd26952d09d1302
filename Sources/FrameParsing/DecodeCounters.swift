/// Counters of what a stream skipped, for logs and `pocgate replay --format summary`.
public struct DecodeCounters: Sendable, Equatable {
    /// Complete, checked frames delivered.
    public var frames = 0
    /// Bytes skipped before a plausible frame start.
    public var garbageBytes = 0
    /// Frames dropped for a checksum that did not match.
    public var badChecksums = 0
    /// Frames dropped for a field that cannot be right.
    public var malformed = 0
    /// Frames dropped for being longer than the protocol's maximum.
    public var oversized = 0

    /// All counters at zero.
    public init() {}

    /// Frames dropped for a bad checksum, a malformed field or excess length.
    public var rejectedFrames: Int { badChecksums + malformed + oversized }

    /// Counts `bytes` skipped for `issue`: garbage by the byte, every other issue by the frame.
    /// Kept out of line: it runs only on the skip path.
    @usableFromInline
    mutating func count(_ issue: DecodeIssue, bytes: Int) {
        switch issue {
        case .garbage: garbageBytes += bytes
        case .badChecksum: badChecksums += 1
        case .malformed: malformed += 1
        case .oversized: oversized += 1
        }
    }
}
