import PocGateCore
internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One request as a receiver logged it, for chain verification. The log format: one JSON object
/// per line with `headers` (names lowercased: `x-pocgate-gateway`, `x-pocgate-sequence`,
/// `x-pocgate-previous`, `x-pocgate-signature`) and `body_b64` (the body after undoing any
/// `Content-Encoding`, base64); other members are ignored, and so are heartbeats (requests with
/// `x-pocgate-heartbeat`).
public struct ReceivedBatch: Sendable, Equatable {
    /// `file:line` of the log line.
    public var location: String
    /// `X-Pocgate-Gateway`.
    public var gatewayID: String?
    /// `X-Pocgate-Sequence`.
    public var sequence: Int64?
    /// `X-Pocgate-Previous`.
    public var previousSHA256: String?
    /// `X-Pocgate-Signature`.
    public var signature: String?
    /// The body after undoing `Content-Encoding`.
    public var body: [UInt8]

    public init(location: String, gatewayID: String?, sequence: Int64?, previousSHA256: String?, signature: String?,
                body: [UInt8]) {
        self.location = location
        self.gatewayID = gatewayID
        self.sequence = sequence
        self.previousSHA256 = previousSHA256
        self.signature = signature
        self.body = body
    }

    /// The requests in one log text; a line that is not such a record is reported in `problems`.
    public static func parse(log text: String, file: String) -> (batches: [ReceivedBatch], problems: [String]) {
        var batches: [ReceivedBatch] = []
        var problems: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            let location = "\(file):\(index + 1)"
            guard let object = JSONReader.parse(trimmed.utf8) as? [String: Any] else {
                problems.append("\(location): not a JSON object")
                continue
            }
            let headers = (object["headers"] as? [String: Any] ?? [:]).reduce(into: [String: String]()) {
                $0[$1.key.lowercased()] = $1.value as? String
            }
            // A heartbeat (docs/fhir/README.md) is signed on its own, outside the batch chain.
            if headers["x-pocgate-heartbeat"] != nil { continue }
            guard let encoded = object["body_b64"] as? String, let body = Data(base64Encoded: encoded) else {
                problems.append("\(location): no body_b64")
                continue
            }
            batches.append(ReceivedBatch(
                location: location, gatewayID: headers["x-pocgate-gateway"],
                sequence: headers["x-pocgate-sequence"].flatMap { Int64($0) },
                previousSHA256: headers["x-pocgate-previous"], signature: headers["x-pocgate-signature"],
                body: [UInt8](body)))
        }
        return (batches, problems)
    }
}
