internal import Foundation

/// The outcome of matching a server's `transaction-response` Bundle to the bundle that was
/// posted: which readings the server accepted and which it did not.
struct TransactionResponse: Sendable, Equatable {
    /// Readings whose Observation (and Device) entries got a 2xx status.
    var accepted: [Int64]
    /// Readings the server did not accept, with the reason.
    var rejected: [(id: Int64, reason: String)]

    static func == (a: TransactionResponse, b: TransactionResponse) -> Bool {
        a.accepted == b.accepted && a.rejected.map(\.id) == b.rejected.map(\.id)
            && a.rejected.map(\.reason) == b.rejected.map(\.reason)
    }

    /// Why a 2xx answer cannot be trusted as an acknowledgement.
    struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        var reason: String
        var description: String { "the server answered 2xx but its transaction-response is unusable: \(reason)" }
    }

    /// Matches `body` (the server's 2xx answer) to `bundle`, entry by entry.
    static func evaluate(_ body: [UInt8], for bundle: FHIRBundle) throws(Invalid) -> TransactionResponse {
        let parsed = try? JSONSerialization.jsonObject(with: Data(body))
        guard let root = parsed as? [String: Any] else { throw Invalid(reason: "the body is not a JSON object") }
        guard root["resourceType"] as? String == "Bundle", root["type"] as? String == "transaction-response" else {
            throw Invalid(reason: "it is not a Bundle of type transaction-response")
        }
        let entries = root["entry"] as? [Any] ?? []
        guard entries.count == bundle.entries.count else {
            throw Invalid(reason: "it has \(entries.count) entries for \(bundle.entries.count) requested")
        }
        var failedDevices: [String: String] = [:]
        for (sent, answer) in zip(bundle.entries, entries) {
            if case .device(let serial) = sent, let problem = problem(in: answer) {
                failedDevices[serial] = "Device entry: " + problem
            }
        }
        var result = TransactionResponse(accepted: [], rejected: [])
        for (sent, answer) in zip(bundle.entries, entries) {
            guard case .observation(let id, let serial) = sent else { continue }
            if let problem = problem(in: answer) {
                result.rejected.append((id, "Observation entry: " + problem))
            } else if let deviceProblem = failedDevices[serial] {
                result.rejected.append((id, deviceProblem))
            } else {
                result.accepted.append(id)
            }
        }
        return result
    }

    /// Nil when the entry's `response.status` is 2xx, otherwise what is wrong with it.
    private static func problem(in entry: Any) -> String? {
        guard let response = (entry as? [String: Any])?["response"] as? [String: Any],
              let status = response["status"] as? String else {
            return "no response.status"
        }
        let code = Int(status.prefix { $0.isNumber }) ?? 0
        guard (200...299).contains(code) else {
            return "status \(status.prefix(60))" + outcomeSummary(response["outcome"])
        }
        return nil
    }

    /// A short summary of an OperationOutcome's first issue (its code and diagnostics).
    static func outcomeSummary(_ outcome: Any?) -> String {
        guard let issue = ((outcome as? [String: Any])?["issue"] as? [Any])?.first as? [String: Any] else { return "" }
        var parts: [String] = []
        if let code = issue["code"] as? String { parts.append(code) }
        if let text = issue["diagnostics"] as? String { parts.append(String(text.prefix(200))) }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ": ") + ")"
    }
}
