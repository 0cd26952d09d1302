import Synchronization
internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
public import Logging
internal import PocGateCore
public import Store

/// Sends the heartbeat (`HeartbeatBundle`) to the data center: the uplink's URL, TLS trust,
/// client certificate, proxy and timeouts, its own libcurl handle, signed with the gateway
/// key like a batch (`X-Pocgate-Heartbeat` carries the send time the signature covers).
///
/// It shares nothing with the upload of readings (handle, lock, outbox, back-off), so a slow
/// or failing heartbeat never delays a reading. A failure is logged once (PG-HBT-001) until a
/// heartbeat goes through again (PG-HBT-002); the caller simply tries at the next interval.
public final class HeartbeatSender: @unchecked Sendable {
    private let settings: UplinkSettings
    private let signer: BatchSigner
    private let logger: Logger
    private let client: HTTPSClient
    private let lock = Mutex(())
    /// Guarded by `lock`: the failure logged last, nil after a success.
    private var failing: String?

    /// Prepares the HTTPS client; nothing is sent yet.
    public init(settings: UplinkSettings, signer: BatchSigner, logger: Logger) throws(UplinkError) {
        try settings.validate()
        self.settings = settings
        self.signer = signer
        self.logger = logger
        do {
            client = try HTTPSClient(options: settings.clientOptions)
        } catch {
            throw .transport(error)
        }
    }

    /// The request header lines of a heartbeat sent at `sentAtMillis`.
    func headers(body: [UInt8], sentAtMillis: Int64) -> [String] {
        let signature = signer.heartbeatSignature(sentAtMillis: sentAtMillis, bodySHA256: BatchSigner.sha256Hex(body))
        var lines = [
            "Content-Type: application/fhir+json",
            "Accept: application/fhir+json",
            "X-Pocgate-Gateway: \(signer.gatewayID)",
            "X-Pocgate-Heartbeat: \(sentAtMillis)",
            "X-Pocgate-Signature: \(signature)",
        ]
        if settings.gzip { lines.append("Content-Encoding: gzip") }
        return lines
    }

    /// Builds and sends one heartbeat; returns nil when the center acknowledged every entry,
    /// else why not (already logged).
    @discardableResult
    public func send(report: FleetReport, facts: GatewayFacts, nowMillis: Int64) -> String? {
        let bundle = HeartbeatBundle(report: report, facts: facts, nowMillis: nowMillis, settings: settings)
        let problem = lock.withLock { _ in deliver(bundle, sentAtMillis: nowMillis) }
        record(problem, devices: report.devices.count)
        return problem
    }

    /// Aborts a heartbeat in progress (the daemon is stopping).
    public func cancel() { client.cancel() }

    private func deliver(_ bundle: HeartbeatBundle, sentAtMillis: Int64) -> String? {
        let wire: [UInt8]
        do {
            wire = settings.gzip ? try Gzip.compress(bundle.body) : bundle.body
        } catch {
            return "cannot compress the heartbeat: \(error)"
        }
        let response: HTTPResponse
        do {
            response = try client.post(url: settings.url, body: wire, headers: headers(body: bundle.body, sentAtMillis: sentAtMillis))
        } catch .cancelled {
            return Self.cancelled
        } catch {
            return error.description
        }
        guard response.isSuccess else {
            let issue = OutcomeIssue(body: response.body)
            return "the data center answered HTTP \(response.status)" + (issue?.code.map { " (\($0))" } ?? "")
        }
        return Self.entryProblem(response.body, expected: bundle.entryCount)
    }

    /// Why a 2xx transaction-response does not acknowledge all `expected` entries; nil when it does.
    static func entryProblem(_ body: [UInt8], expected: Int) -> String? {
        guard let object = JSONReader.parse(body) as? [String: Any],
              object["resourceType"] as? String == "Bundle", let entries = object["entry"] as? [[String: Any]] else {
            return "the data center's answer is not a transaction-response Bundle"
        }
        guard entries.count == expected else {
            return "the data center answered \(entries.count) entries for \(expected) Devices"
        }
        for (index, entry) in entries.enumerated() {
            let status = (entry["response"] as? [String: Any])?["status"] as? String ?? ""
            guard status.hasPrefix("2") else {
                return "the data center refused Device entry \(index + 1): '\(String(status.prefix(40)))'"
            }
        }
        return nil
    }

    /// The answer of a heartbeat aborted by `cancel()`: not a failure of the link, not logged.
    static let cancelled = "the heartbeat was cancelled (pocgate is stopping)"

    private func record(_ problem: String?, devices: Int) {
        if problem == Self.cancelled { return }
        let previous: String? = lock.withLock { _ in
            defer { failing = problem }
            return failing
        }
        if let problem {
            guard previous == nil else { return }
            logger.warning("heartbeat to the data center failed; readings are not affected, the next heartbeat is sent at the next interval",
                           metadata: ["code": "\(LogCode.heartbeatFailed)", "error": "\(problem)"])
        } else if previous != nil {
            logger.notice("heartbeat to the data center goes through again",
                          metadata: ["code": "\(LogCode.heartbeatRecovered)", "devices": "\(devices)"])
        } else {
            logger.debug("heartbeat sent", metadata: ["devices": "\(devices)"])
        }
    }
}
