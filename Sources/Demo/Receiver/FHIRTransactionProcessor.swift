import Uplink
import Daemon
import Emulators
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Answers FHIR transaction and batch Bundles the way a FHIR server's conditional create does,
/// remembering what it has created, and picks out the Observations that are new.
///
/// Only a demo's worth of FHIR: resources are not stored, only their conditional-create keys.
package struct FHIRTransactionProcessor {
    /// What one Bundle gave.
    package struct Result {
        var response: ReceiverHTTPResponse
        /// New Observations, in Bundle order.
        var created: [DemoObservation]
    }

    /// Conditional-create key (`Type?query` or a PUT's URL) → location of the resource created.
    private var seen: [String: String] = [:]
    private var nextID = 1
    /// Observations created so far.
    private(set) var observationsCreated = 0

    /// Processes one POSTed Bundle. Nothing is remembered unless the whole Bundle is valid.
    package mutating func process(_ body: [UInt8]) -> Result {
        guard let json = JSONReader.parse(body) else {
            return rejected("the body is not valid JSON; POST a FHIR transaction Bundle")
        }
        guard let bundle = json as? [String: Any], bundle["resourceType"] as? String == "Bundle" else {
            return rejected("expected a FHIR Bundle resource (resourceType \"Bundle\")")
        }
        let type = bundle["type"] as? String ?? "(missing)"
        guard type == "transaction" || type == "batch" else {
            return rejected("Bundle.type is \(type); the demo receiver accepts \"transaction\" or \"batch\"")
        }
        guard let entries = (bundle["entry"] ?? [Any]()) as? [[String: Any]] else {
            return rejected("Bundle.entry must be an array of objects")
        }
        let plans: [EntryPlan]
        switch Self.plan(entries) {
        case .success(let planned): plans = planned
        case .failure(let problem): return rejected(problem.message)
        }

        var responseEntries: [[String: Any]] = []
        var created: [DemoObservation] = []
        for plan in plans {
            if let key = plan.key, let location = seen[key] {
                responseEntries.append(["response": ["status": "200 OK", "location": location]])
                continue
            }
            let location = "\(plan.resourceType)/\(nextID)/_history/1"
            nextID += 1
            if let key = plan.key { seen[key] = location }
            responseEntries.append(["response": ["status": "201 Created", "location": location]])
            if plan.resourceType == "Observation" {
                created.append(DemoObservation(observation: plan.resource, in: entries))
                observationsCreated += 1
            }
        }
        let response = ReceiverHTTPResponse.fhir(status: 200, reason: "OK", [
            "resourceType": "Bundle",
            "type": "\(type)-response",
            "entry": responseEntries,
        ])
        return Result(response: response, created: created)
    }

    private func rejected(_ message: String) -> Result {
        Result(response: .outcome(status: 400, reason: "Bad Request", code: "invalid", message), created: [])
    }

    // MARK: - Validating entries

    private struct EntryPlan {
        var resourceType: String
        var resource: [String: Any]
        var key: String?
    }

    private struct EntryProblem: Error {
        var message: String
    }

    private static func plan(_ entries: [[String: Any]]) -> Swift.Result<[EntryPlan], EntryProblem> {
        var plans: [EntryPlan] = []
        for (index, entry) in entries.enumerated() {
            guard let request = entry["request"] as? [String: Any],
                  let method = request["method"] as? String, let url = request["url"] as? String else {
                return .failure(EntryProblem(message: "entry[\(index)] needs request.method and request.url"))
            }
            guard let resource = entry["resource"] as? [String: Any],
                  let resourceType = resource["resourceType"] as? String else {
                return .failure(EntryProblem(message: "entry[\(index)] needs a resource with a resourceType"))
            }
            switch method {
            case "POST":
                let condition = (request["ifNoneExist"] as? String).map { "\(resourceType)?\($0)" }
                plans.append(EntryPlan(resourceType: resourceType, resource: resource, key: condition))
            case "PUT":
                plans.append(EntryPlan(resourceType: resourceType, resource: resource, key: url))
            default:
                return .failure(EntryProblem(message: "entry[\(index)]: method \(method) is not supported by the demo receiver; use POST with ifNoneExist, or PUT"))
            }
        }
        return .success(plans)
    }
}
