/// Thrown inside a session to end it early with `outcome` (the port failed, the store is
/// full); the session's `run` turns it into its summary.
struct SessionEnding: Error {
    var outcome: SessionOutcome

    init(outcome: SessionOutcome) { self.outcome = outcome }

    /// The ending for a failed transport: unplugged, or failed with the error's description.
    init(_ error: TransportError) {
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

extension ByteTransport {
    /// Reads what is available into `buffer`, waiting up to `timeoutMillis`; 0 on timeout.
    /// A transport failure ends the session.
    func readChunk(into buffer: inout [UInt8], timeoutMillis: Int) throws(SessionEnding) -> Int {
        let result: Result<Int, TransportError> = buffer.withUnsafeMutableBytes { buf in
            do throws(TransportError) {
                return .success(try read(into: buf, timeoutMillis: timeoutMillis))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case let .success(n): return n
        case let .failure(error): throw SessionEnding(error)
        }
    }
}
