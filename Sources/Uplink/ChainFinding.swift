/// Something wrong in a chain of received batches.
public enum ChainFinding: Sendable, Equatable, CustomStringConvertible {
    /// A request without the X-Pocgate headers.
    case unsigned(location: String)
    /// The signature does not match: the body or a header was changed after signing (or
    /// another key signed it).
    case badSignature(sequence: Int64, location: String)
    /// Sequences that never arrived.
    case gap(from: Int64, to: Int64)
    /// A batch arrived again after later ones: a replay or a duplicate.
    case replay(sequence: Int64, location: String)
    /// A batch arrived after a later one, first time seen: the order was changed.
    case reordered(sequence: Int64, after: Int64, location: String)
    /// Two different validly signed bodies under one sequence.
    case conflict(sequence: Int64, location: String)
    /// `previous` does not name the body of the batch before it.
    case brokenLink(sequence: Int64, location: String)
    /// A batch of another gateway than the one being verified.
    case otherGateway(gatewayID: String, location: String)

    public var description: String {
        switch self {
        case .unsigned(let at): return "\(at): unsigned request (no X-Pocgate headers)"
        case .badSignature(let seq, let at): return "\(at): sequence \(seq): bad signature — the body or headers were modified, or another key signed it"
        case .gap(let from, let to):
            return from == to ? "gap: sequence \(from) is missing" : "gap: sequences \(from)…\(to) are missing"
        case .replay(let seq, let at): return "\(at): sequence \(seq) arrived again after later batches (replay or duplicate)"
        case .reordered(let seq, let after, let at): return "\(at): sequence \(seq) arrived after \(after) (reordered)"
        case .conflict(let seq, let at): return "\(at): sequence \(seq) arrived with a different body than before"
        case .brokenLink(let seq, let at): return "\(at): sequence \(seq): X-Pocgate-Previous does not match the body of sequence \(seq - 1)"
        case .otherGateway(let id, let at): return "\(at): batch of gateway '\(id)', not the one verified"
        }
    }
}
