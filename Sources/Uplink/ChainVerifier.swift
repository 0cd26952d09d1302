public import Crypto

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

/// The result of checking a gateway's chain of batches as a receiver logged them.
public struct ChainReport: Sendable, Equatable {
    /// Requests read.
    public var requests: Int
    /// Distinct batches (sequences) with a valid signature.
    public var batches: Int
    /// Identical re-sends directly after the first send (the uplink's retries; harmless).
    public var resent: Int
    public var firstSequence: Int64?
    public var lastSequence: Int64?
    public var findings: [ChainFinding]

    /// No finding: every batch is authentic, in order, once, with no gap.
    public var isIntact: Bool { findings.isEmpty }
}

/// Checks signed, chained batches: signatures, sequence gaps, replays, reordering and links.
public struct ChainVerifier: Sendable {
    private let publicKeyRaw: [UInt8]
    /// Only batches of this gateway are verified (nil: all, which must then be one gateway).
    public let gatewayID: String?

    public init(publicKey: Curve25519.Signing.PublicKey, gatewayID: String? = nil) {
        self.publicKeyRaw = [UInt8](publicKey.rawRepresentation)
        self.gatewayID = gatewayID
    }

    /// Verifies `received` in arrival order.
    public func verify(_ received: [ReceivedBatch]) -> ChainReport {
        var report = ChainReport(requests: received.count, batches: 0, resent: 0, firstSequence: nil, lastSequence: nil,
                                 findings: [])
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKeyRaw) else { return report }
        var hashes: [Int64: String] = [:]
        var previous: [Int64: (hash: String, location: String)] = [:]
        var lastSequence: Int64?
        var highest: Int64?
        var gateway = gatewayID
        for batch in received {
            guard let id = batch.gatewayID, let sequence = batch.sequence, let prev = batch.previousSHA256,
                  let signature = batch.signature else {
                report.findings.append(.unsigned(location: batch.location))
                continue
            }
            if gateway == nil { gateway = id }
            guard id == gateway else {
                report.findings.append(.otherGateway(gatewayID: id, location: batch.location))
                continue
            }
            let hash = BatchSigner.sha256Hex(batch.body)
            guard BatchSigner.isValid(signature: signature, publicKey: key, gatewayID: id, sequence: sequence,
                                      previousSHA256: prev, bodySHA256: hash) else {
                report.findings.append(.badSignature(sequence: sequence, location: batch.location))
                continue
            }
            defer {
                lastSequence = sequence
                highest = max(highest ?? sequence, sequence)
            }
            if let known = hashes[sequence] {
                if known != hash {
                    report.findings.append(.conflict(sequence: sequence, location: batch.location))
                } else if lastSequence == sequence {
                    report.resent += 1
                } else {
                    report.findings.append(.replay(sequence: sequence, location: batch.location))
                }
                continue
            }
            if let highest, sequence < highest {
                report.findings.append(.reordered(sequence: sequence, after: highest, location: batch.location))
            }
            hashes[sequence] = hash
            previous[sequence] = (prev, batch.location)
        }
        let sequences = hashes.keys.sorted()
        report.batches = sequences.count
        report.firstSequence = sequences.first
        report.lastSequence = sequences.last
        for (a, b) in zip(sequences, sequences.dropFirst()) where b > a + 1 {
            report.findings.append(.gap(from: a + 1, to: b - 1))
        }
        for sequence in sequences {
            guard let link = previous[sequence] else { continue }
            if let before = hashes[sequence - 1], before != link.hash {
                report.findings.append(.brokenLink(sequence: sequence, location: link.location))
            } else if sequence == 1, link.hash != String(repeating: "0", count: 64) {
                report.findings.append(.brokenLink(sequence: sequence, location: link.location))
            }
        }
        return report
    }
}
