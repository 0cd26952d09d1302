internal import Foundation
public import Logging
internal import PocGateCore
public import Store

/// Delivers queued readings to the data center as FHIR R4 transaction Bundles over HTTPS.
///
/// A reading leaves the outbox only after the server acknowledged its Observation with a 2xx
/// entry status; every other outcome keeps it queued with exponential backoff. Re-sending is
/// safe: Observations and Devices are conditional creates on stable identifiers.
///
/// `drainOnce` may be called directly (tests, `pocgate queue flush`); `start()` runs it on a
/// background thread whenever work is due.
public final class Uplink: @unchecked Sendable {
    let store: Store
    let settings: UplinkSettings
    let logger: Logger
    let mapper: FHIRMapper
    let retry: RetryPolicy
    /// Guarded by `drainLock`: libcurl handles are not thread-safe.
    let client: HTTPSClient
    let drainLock = NSLock()
    private var batchCounter = 0
    /// The worker's heartbeat and batch outcomes, for the daemon's watchdog and status.
    public let activity: UplinkActivity

    /// The worker thread's state, guarded by `condition`.
    let condition = NSCondition()
    var workerRunning = false
    var workerFinished = true
    var stopRequested = false
    var wakeRequested = false

    /// Validates `settings` and prepares the HTTPS client; nothing is sent yet.
    public init(store: Store, settings: UplinkSettings, logger: Logger) throws(UplinkError) {
        try settings.validate()
        guard let zone = TimeZone(identifier: settings.timeZone) else { throw .unknownTimeZone(settings.timeZone) }
        self.store = store
        self.settings = settings
        self.logger = logger
        self.mapper = FHIRMapper(settings: settings, zone: zone)
        self.retry = RetryPolicy(baseSeconds: settings.backoffBaseSeconds, maxSeconds: settings.backoffMaxSeconds)
        self.activity = UplinkActivity(settings: settings)
        do {
            self.client = try HTTPSClient(caFile: settings.caFile, connectTimeoutSeconds: settings.connectTimeoutSeconds,
                                          totalTimeoutSeconds: settings.totalTimeoutSeconds)
        } catch {
            throw .transport(error)
        }
    }

    /// Sends one batch of due readings (at most `batchSize`) and records the result.
    public func drainOnce(nowMillis: Int64) -> DrainOutcome {
        drainLock.lock()
        defer { drainLock.unlock() }
        let rows: [StoredReading]
        do {
            rows = try store.dueOutbox(limit: settings.batchSize, nowMillis: nowMillis)
        } catch {
            logger.error("cannot read the outbox", metadata: ["code": "\(LogCode.outboxUnreadable)", "error": "\(error)"])
            return .storeFailed(error)
        }
        guard !rows.isEmpty else { return .idle }
        batchCounter += 1
        let batch = "\(nowMillis)-\(batchCounter)"
        let bundle = mapper.bundle(for: rows)
        let response: HTTPResponse
        do {
            response = try client.post(url: settings.url, body: bundle.body, headers: [
                "Content-Type: application/fhir+json",
                "Accept: application/fhir+json",
            ])
        } catch .cancelled {
            logger.info("upload cancelled, readings stay queued", metadata: ["batch": "\(batch)", "count": "\(rows.count)"])
            return .cancelled
        } catch {
            return postpone(rows, failure: .transport(error), batch: batch, nowMillis: nowMillis)
        }
        guard response.isSuccess else {
            let issue = OutcomeIssue(body: response.body)
            return postpone(rows, failure: .httpStatus(response.status, detail: issue?.code.map { "(\($0))" } ?? ""),
                            diagnostics: issue?.diagnostics, batch: batch, nowMillis: nowMillis)
        }
        let result: TransactionResponse
        do {
            result = try TransactionResponse.evaluate(response.body, for: bundle)
        } catch {
            return postpone(rows, failure: .invalidResponse(error.description), batch: batch, nowMillis: nowMillis)
        }
        return record(result, rows: rows, status: response.status, batch: batch, nowMillis: nowMillis)
    }

    /// Marks acknowledged readings delivered and reschedules the ones the server refused.
    private func record(_ result: TransactionResponse, rows: [StoredReading], status: Int, batch: String,
                        nowMillis: Int64) -> DrainOutcome {
        do {
            try store.markDelivered(result.accepted, atMillis: nowMillis)
        } catch {
            logger.error("the data center acknowledged readings but the store cannot record it; they will be sent again",
                         metadata: ["code": "\(LogCode.deliveryNotRecorded)", "batch": "\(batch)", "error": "\(error)"])
            return .storeFailed(error)
        }
        if !result.accepted.isEmpty {
            logger.info("batch delivered", metadata: [
                "batch": "\(batch)", "count": "\(result.accepted.count)", "status": "\(status)",
            ])
        }
        guard !result.rejected.isEmpty else { return .delivered(count: result.accepted.count) }
        let attempts = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.attempts) })
        for rejection in result.rejected {
            let delay = retry.delayMillis(attempts: attempts[rejection.id] ?? 0)
            let stored = Self.storedError(rejection.reason, diagnostics: rejection.diagnostics)
            do {
                try store.deferDelivery([rejection.id], error: stored, nextAttemptAtMillis: nowMillis + delay)
            } catch {
                logger.error("cannot reschedule a refused reading", metadata: ["code": "\(LogCode.refusedReadingNotRescheduled)", "batch": "\(batch)", "error": "\(error)"])
                return .storeFailed(error)
            }
            logger.warning("the data center refused a reading; it stays queued", metadata: [
                "code": "\(LogCode.readingRefused)",
                "batch": "\(batch)", "reading": "\(rejection.id)", "error": "\(rejection.reason)", "retryInMs": "\(delay)",
            ])
        }
        return .partiallyDelivered(delivered: result.accepted.count, deferred: result.rejected.count)
    }

    /// Keeps the whole batch queued and schedules its next attempt with backoff.
    private func postpone(_ rows: [StoredReading], failure: DeliveryFailure, diagnostics: String? = nil,
                          batch: String, nowMillis: Int64) -> DrainOutcome {
        let delay = retry.delayMillis(attempts: rows.map(\.attempts).max() ?? 0)
        let next = nowMillis + delay
        do {
            try store.deferDelivery(rows.map(\.id), error: Self.storedError(failure.description, diagnostics: diagnostics),
                                    nextAttemptAtMillis: next)
        } catch {
            logger.error("cannot reschedule a failed batch", metadata: ["code": "\(LogCode.failedBatchNotRescheduled)", "batch": "\(batch)", "error": "\(error)"])
            return .storeFailed(error)
        }
        let metadata: Logger.Metadata = [
            "batch": "\(batch)", "count": "\(rows.count)", "error": "\(failure)", "retryInMs": "\(delay)",
        ]
        switch failure {
        case .transport(let error) where error.isTLS:
            logger.error("TLS failure talking to the data center; batch will be retried",
                         metadata: metadata.merging(["code": "\(LogCode.tlsFailure)"]) { $1 })
        case .httpStatus(let status, _) where status < 500 && status != 429 && status != 408:
            logger.error("the data center refused the batch; it will be retried",
                         metadata: metadata.merging(["code": "\(LogCode.batchRefused)"]) { $1 })
        default:
            logger.warning("delivery failed; batch will be retried",
                           metadata: metadata.merging(["code": "\(LogCode.deliveryFailed)"]) { $1 })
        }
        return .deferred(count: rows.count, failure: failure, nextAttemptAtMillis: next)
    }

    /// The error kept in the outbox row: the logged reason plus the server's diagnostics,
    /// which stay in the database (it holds the clinical data anyway) and out of the logs.
    private static func storedError(_ reason: String, diagnostics: String?) -> String {
        guard let diagnostics, !diagnostics.isEmpty else { return reason }
        return reason + " — server diagnostics: " + diagnostics
    }
}
