public import Transports

/// Thrown inside a session to end it early with `outcome` (the port failed, the store is
/// full); the session's `run` turns it into its summary.
public struct SessionEnding: Error {
    public var outcome: SessionOutcome

    public init(outcome: SessionOutcome) { self.outcome = outcome }

    /// The ending for a failed transport: unplugged, or failed with the error's description.
    public init(_ error: LinkError) {
        if case .unplugged = error { outcome = .unplugged } else { outcome = .transportFailed(error.description) }
    }
}

extension SessionSummary {
    /// The summary of a session whose conversation is `body`: it starts `complete` with
    /// nothing read, `body` fills it in, and a `SessionEnding` thrown on the way becomes its
    /// outcome. Every session's `run(into:)` is this, so none of them can throw.
    static func of(_ body: (inout SessionSummary) throws(SessionEnding) -> Void) -> SessionSummary {
        var summary = SessionSummary(outcome: .complete, deviceSerial: nil, recordsAnnounced: 0, recordsRead: 0, recordsNew: 0)
        do {
            try body(&summary)
        } catch {
            summary.outcome = error.outcome
        }
        return summary
    }
}
