import PocGateCore
import Daemon
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Uplink

/// `pocgate verify-chain`: reads receiver logs (files, or every `*.jsonl` file of a directory,
/// in name order) and checks the gateway's signed chain of batches.
public enum ChainCheck {
    /// Verifies the logs at `paths` against `publicKey` (PEM text, a PEM file path, or base64);
    /// returns the report text and whether the chain is intact.
    public static func run(publicKey: String, gatewayID: String?, paths: [String]) throws(QueueTool.Failure) -> (text: String, intact: Bool) {
        var keyText = publicKey
        if FileManager.default.fileExists(atPath: publicKey), let data = FileManager.default.contents(atPath: publicKey) {
            keyText = String(decoding: data, as: UTF8.self)
        }
        guard let key = GatewayKey.publicKey(from: keyText) else {
            throw .input("--public-key: not an Ed25519 public key (PEM, a PEM file, or base64); print it with 'pocgate key --public'")
        }
        var received: [ReceivedBatch] = []
        var problems: [String] = []
        for file in try files(paths) {
            guard let data = FileManager.default.contents(atPath: file) else { throw .input("cannot read \(file)") }
            let parsed = ReceivedBatch.parse(log: String(decoding: data, as: UTF8.self), file: file)
            received += parsed.batches
            problems += parsed.problems
        }
        let report = ChainVerifier(publicKey: key, gatewayID: gatewayID).verify(received)
        var lines = problems.map { "unreadable: \($0)" }
        lines += report.findings.map(\.description)
        let range = report.firstSequence.map { "\($0)…\(report.lastSequence ?? $0)" } ?? "none"
        lines.append("requests: \(report.requests), batches: \(report.batches) (sequences \(range)), re-sent: \(report.resent), "
                     + "problems: \(report.findings.count + problems.count)")
        let intact = report.isIntact && problems.isEmpty && report.batches > 0
        lines.append(intact ? "chain intact" : "CHAIN NOT INTACT")
        return (lines.joined(separator: "\n"), intact)
    }

    private static func files(_ paths: [String]) throws(QueueTool.Failure) -> [String] {
        var out: [String] = []
        for path in paths {
            guard let isDirectory = PathText.isDirectory(path) else { throw .input("no such file or directory: \(path)") }
            if isDirectory {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                out += names.filter { $0.hasSuffix(".jsonl") }.sorted().map { path + "/" + $0 }
            } else {
                out.append(path)
            }
        }
        return out
    }
}
