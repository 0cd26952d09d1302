


/// Checks signed, chained batches: signatures, sequence gaps, replays, reordering and links.
public struct ChainVerifier: Sendable {
    private let publicKeyRaw: [UInt8]
    /// Only batches of this gateway are verified (nil: all, which must then be one gateway).
    public let gatewayID: String?

    public init(publicKey: Ed25519PublicKey, gatewayID: String? = nil) {
        self.publicKeyRaw = [UInt8](publicKey.rawRepresentation)
        self.gatewayID = gatewayID
    }

    /// Verifies `received` in arrival order.
    public func verify(_ received: [ReceivedBatch]) -> ChainReport {
        var report = ChainReport(requests: received.count, batches: 0, resent: 0, firstSequence: nil, lastSequence: nil,
                                 findings: [])
        guard let key = Ed25519PublicKey(rawRepresentation: publicKeyRaw) else { return report }
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
