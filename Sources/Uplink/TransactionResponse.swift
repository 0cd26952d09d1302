internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of matching a server's `transaction-response` Bundle to the bundle that was
/// posted: which readings the server accepted and which it did not.
struct TransactionResponse: Sendable, Equatable {
    /// A reading the server did not accept.
    struct Rejection: Sendable, Equatable {
        var id: Int64
        /// The entry's HTTP status (of the Device entry when that is what failed); nil when absent.
        var status: Int?
        /// The entry status and OperationOutcome issue code; safe to log.
        var reason: String
        /// The server's diagnostics text, which may echo payload content: stored, never logged.
        var diagnostics: String?
    }

    /// Readings whose Observation (and Device) entries got a 2xx status.
    var accepted: [Int64]
    /// Readings the server did not accept.
    var rejected: [Rejection]

    /// Why a 2xx answer cannot be trusted as an acknowledgement.
    struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        var reason: String
        var description: String { "the server answered 2xx but its transaction-response is unusable: \(reason)" }
    }

    /// Matches `body` (the server's 2xx answer) to `bundle`, entry by entry.
    static func evaluate(_ body: [UInt8], for bundle: FHIRBundle) throws(Invalid) -> TransactionResponse {
        let parsed = JSONReader.parse(body)
        guard let root = parsed as? [String: Any] else { throw Invalid(reason: "the body is not a JSON object") }
        guard root["resourceType"] as? String == "Bundle", root["type"] as? String == "transaction-response" else {
            throw Invalid(reason: "it is not a Bundle of type transaction-response")
        }
        let entries = root["entry"] as? [Any] ?? []
        guard entries.count == bundle.entries.count else {
            throw Invalid(reason: "it has \(entries.count) entries for \(bundle.entries.count) requested")
        }
        var failedDevices: [String: (status: Int?, reason: String, diagnostics: String?)] = [:]
        for (sent, answer) in zip(bundle.entries, entries) {
            if case .device(let serial) = sent, let problem = problem(in: answer) {
                failedDevices[serial] = (problem.status, "Device entry: " + problem.reason, problem.diagnostics)
            }
        }
        var result = TransactionResponse(accepted: [], rejected: [])
        for (sent, answer) in zip(bundle.entries, entries) {
            guard case .observation(let id, let serial) = sent else { continue }
            if let problem = problem(in: answer) {
                result.rejected.append(Rejection(id: id, status: problem.status, reason: "Observation entry: " + problem.reason,
                                                 diagnostics: problem.diagnostics))
            } else if let device = failedDevices[serial] {
                result.rejected.append(Rejection(id: id, status: device.status, reason: device.reason,
                                                 diagnostics: device.diagnostics))
            } else {
                result.accepted.append(id)
            }
        }
        return result
    }

    /// Nil when the entry's `response.status` is 2xx, otherwise what is wrong with it.
    private static func problem(in entry: Any) -> (status: Int?, reason: String, diagnostics: String?)? {
        guard let response = (entry as? [String: Any])?["response"] as? [String: Any],
              let status = response["status"] as? String else {
            return (nil, "no response.status", nil)
        }
        let code = Int(status.prefix { $0.isNumber }) ?? 0
        guard (200...299).contains(code) else {
            let issue = OutcomeIssue(response["outcome"])
            return (code == 0 ? nil : code, "status \(status.prefix(60))" + (issue?.code.map { " (\($0))" } ?? ""),
                    issue?.diagnostics)
        }
        return nil
    }
}

/// The first issue of a FHIR OperationOutcome: its code (safe to log) and diagnostics (kept
/// out of logs, since a server may echo payload content in it).
struct OutcomeIssue: Sendable, Equatable {
    var code: String?
    var diagnostics: String?

    /// Reads the first issue of an OperationOutcome object; nil when there is none.
    init?(_ outcome: Any?) {
        guard let object = outcome as? [String: Any], object["resourceType"] as? String == "OperationOutcome",
              let issue = (object["issue"] as? [Any])?.first as? [String: Any] else { return nil }
        code = issue["code"] as? String
        diagnostics = (issue["diagnostics"] as? String).map { String($0.prefix(500)) }
    }

    /// Reads the first issue of an OperationOutcome response body.
    init?(body: [UInt8]) {
        self.init(JSONReader.parse(body))
    }
}
