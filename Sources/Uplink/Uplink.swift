internal import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Services
import Synchronization
public import Logging
internal import PocGateCore
public import Store

/// Delivers queued readings to the data center as signed, chained FHIR R4 transaction Bundles
/// over HTTPS.
///
/// A batch is built once (body, sequence, previous hash, signature), recorded in the store in
/// the same transaction that ties its readings to it, and only then sent; it is re-sent byte
/// for byte until the data center settles it. A reading leaves the outbox only after the
/// server acknowledged its Observation entry with a 2xx status. Re-sending is safe:
/// Observations and Devices are conditional creates on stable identifiers.
///
/// `drainOnce` may be called directly (tests, benchmarks); `start()` runs it on a background
/// thread whenever work is due.
public final class Uplink: @unchecked Sendable {
    let store: Store
    let settings: UplinkSettings
    let signer: BatchSigner
    let logger: Logger
    let mapper: FHIRMapper
    let retry: RetryPolicy
    /// Guarded by `drainLock`: libcurl handles are not thread-safe.
    let client: HTTPSClient
    /// One drain at a time; guards the client and the counters below (a `Mutex` with no
    /// value of its own: what it guards is spread over this class and its extensions).
    let drainLock = Mutex(())
    private var batchCounter = 0
    /// The worker's heartbeat and batch outcomes, for the daemon's watchdog and status.
    public let activity: UplinkActivity
    private var sentBytes = 0
    /// How often `drainOnce` ran (tests check that waiting never spins).
    private(set) var drainCount = 0
    /// Readings received up to this instant (Unix ms) are sent without waiting for the batch to
    /// fill; guarded by `drainLock`.
    private var flushUpToMillis: Int64 = .min
    /// The back-off and the link probe, in memory only; guarded by `drainLock`.
    var recovery = UplinkRecovery()

    /// Request body bytes sent so far (after gzip), for benchmarks and statistics.
    public var sentBodyBytes: Int { drainLock.withLock { _ in sentBytes } }

    /// What `wake()` and `stop()` tell the worker thread, which waits on it.
    struct WorkerSignals {
        var stopRequested = false
        var wakeRequested = false
    }

    let signals = Monitor(WorkerSignals())
    /// The worker's thread while it runs.
    let worker = Mutex<ServiceThread?>(nil)

    /// Validates `settings` and prepares the HTTPS client; nothing is sent yet.
    public init(store: Store, signer: BatchSigner, settings: UplinkSettings, logger: Logger) throws(UplinkError) {
        try settings.validate()
        guard let zone = ZoneInfo.named(settings.timeZone) else { throw .unknownTimeZone(settings.timeZone) }
        self.store = store
        self.settings = settings
        self.signer = signer
        self.logger = logger
        self.mapper = FHIRMapper(settings: settings, zone: zone)
        self.retry = RetryPolicy(baseSeconds: settings.backoffBaseSeconds, maxSeconds: settings.backoffMaxSeconds)
        self.activity = UplinkActivity(settings: settings)
        do {
            self.client = try HTTPSClient(options: settings.clientOptions)
        } catch {
            throw .transport(error)
        }
    }

    /// Sends one batch: the pending one when it is due, else a new one of due readings (at
    /// most `batchSize`, once full or old enough), and records the answer.
    public func drainOnce(nowMillis: Int64) -> DrainOutcome {
        drainLock.withLock { _ in drainLocked(nowMillis: nowMillis) }
    }

    /// `drainOnce` under `drainLock`.
    private func drainLocked(nowMillis: Int64) -> DrainOutcome {
        drainCount += 1
        let batch: OutboxBatch
        do {
            if !recovery.scheduleRestarted {
                // A back-off scheduled by an earlier run does not carry over a restart.
                try store.restartRetrySchedule(nowMillis: nowMillis)
                recovery.scheduleRestarted = true
            }
            if let pending = try store.pendingBatch() {
                if pending.nextAttemptAtMillis > nowMillis {
                    guard let probeAt = recovery.probeAtMillis else { return .idle }
                    guard probeAt <= nowMillis else { return .waiting(untilMillis: min(probeAt, pending.nextAttemptAtMillis)) }
                    switch probeCenter() {
                    case .answers:
                        logger.info("the data center answers again; sending the pending batch now",
                                    metadata: ["batch": "\(pending.sequence)"])
                    case .silent:
                        recovery.probeFailed(policy: retry, nowMillis: nowMillis)
                        return .waiting(untilMillis: min(recovery.probeAtMillis ?? .max, pending.nextAttemptAtMillis))
                    case .cancelled:
                        return .cancelled
                    }
                }
                batch = pending
            } else {
                switch try nextBatch(nowMillis: nowMillis) {
                case .none: return .idle
                case .wait(let until): return .waiting(untilMillis: until)
                case .built(let built): batch = built
                }
            }
        } catch {
            logger.error("cannot read or record the outbox", metadata: ["code": "\(LogCode.outboxUnreadable)", "error": "\(error)"])
            return .storeFailed(error)
        }
        return send(batch, nowMillis: nowMillis)
    }

    private enum NextBatch {
        case none
        case wait(until: Int64)
        case built(OutboxBatch)
    }

    /// Chooses the readings of the next batch and records it, or says how long to wait.
    private func nextBatch(nowMillis: Int64) throws(StoreError) -> NextBatch {
        let candidates = try store.batchCandidates(limit: settings.batchSize, nowMillis: nowMillis)
        guard !candidates.isEmpty else { return .none }
        var rows: [StoredReading] = []
        var cap = settings.batchSize
        var split = false
        for row in candidates {
            if let limit = row.batchLimit {
                cap = min(cap, limit)
                split = true
            }
            if rows.count >= cap { break }
            rows.append(row)
        }
        let oldest = rows.map(\.receivedAtMillis).min() ?? nowMillis
        if !split && rows.count < settings.batchSize && oldest > flushUpToMillis {
            let sendAt = oldest + settings.batchMaxWaitMillis
            if sendAt > nowMillis { return .wait(until: sendAt) }
        }
        let bundle = mapper.bundle(for: rows)
        let bodyHash = BatchSigner.sha256Hex(bundle.body)
        let draft = BatchDraft(gatewayID: signer.gatewayID, body: bundle.body, bodySHA256: bodyHash,
                               manifest: bundle.manifest, readingIDs: bundle.readingIDs)
        let batch = try store.createBatch(draft, createdAtMillis: nowMillis) { sequence, previous in
            signer.signature(sequence: sequence, previousSHA256: previous, bodySHA256: bodyHash)
        }
        return .built(batch)
    }

    /// Lets readings received up to `upToMillis` go without waiting for their batch to fill:
    /// a session that ended will add nothing more, so there is nothing to wait for.
    public func flush(upToMillis: Int64 = Uplink.wallClockMillis()) {
        drainLock.withLock { _ in flushUpToMillis = max(flushUpToMillis, upToMillis) }
        wake()
    }

    /// The request header lines of a batch.
    func headers(for batch: OutboxBatch) -> [String] {
        var lines = [
            "Content-Type: application/fhir+json",
            "Accept: application/fhir+json",
            "X-Pocgate-Gateway: \(batch.gatewayID)",
            "X-Pocgate-Sequence: \(batch.sequence)",
            "X-Pocgate-Previous: \(batch.previousSHA256)",
            "X-Pocgate-Signature: \(batch.signature)",
        ]
        if settings.gzip { lines.append("Content-Encoding: gzip") }
        return lines
    }

    private func send(_ batch: OutboxBatch, nowMillis: Int64) -> DrainOutcome {
        var log = logger
        log[metadataKey: "batch"] = "\(batch.sequence)"
        guard let entries = FHIRBundle.entries(manifest: batch.manifest) else {
            let error = StoreError.unreadableRow(id: batch.sequence, column: "batches.manifest", value: String(batch.manifest.prefix(80)))
            log.error("a stored batch cannot be read back", metadata: ["code": "\(LogCode.batchUnreadable)", "error": "\(error)"])
            return .storeFailed(error)
        }
        let bundle = FHIRBundle(body: batch.body, entries: entries)
        let wire: [UInt8]
        do {
            wire = settings.gzip ? try Gzip.compress(batch.body) : batch.body
        } catch {
            return postpone(batch, failure: .invalidResponse("\(error)"), retryAt: nil, log: log, nowMillis: nowMillis)
        }
        let response: HTTPResponse
        sentBytes += wire.count
        do {
            response = try client.post(url: settings.url, body: wire, headers: headers(for: batch))
        } catch .cancelled {
            log.info("upload cancelled, readings stay queued", metadata: ["count": "\(batch.readingCount)"])
            return .cancelled
        } catch {
            return postpone(batch, failure: .transport(error), retryAt: nil, log: log, nowMillis: nowMillis)
        }
        let status = response.status
        switch ResponseClass(status: status) {
        case .success:
            recovery.answered()
            do {
                let result = try TransactionResponse.evaluate(response.body, for: bundle)
                return settle(batch, result, status: status, log: log, nowMillis: nowMillis)
            } catch {
                return postpone(batch, failure: .invalidResponse(error.description), retryAt: nil, log: log, nowMillis: nowMillis)
            }
        case .later, .configuration, .unexpected:
            let issue = OutcomeIssue(body: response.body)
            let retryAt = (status == 429 || status == 503)
                ? response.headers["retry-after"].flatMap { retryInstant($0, log: log, nowMillis: nowMillis) } : nil
            return postpone(batch, failure: .httpStatus(status, detail: issue?.code.map { "(\($0))" } ?? ""),
                            diagnostics: issue?.diagnostics, retryAt: retryAt, log: log, nowMillis: nowMillis)
        case .refused:
            recovery.answered()
            return refuse(batch, response: response, log: log, nowMillis: nowMillis)
        }
    }

    /// The instant a `Retry-After` answer allows, cut to `settings.retryAfterMaxSeconds`; a cut
    /// is logged (PG-UPL-015).
    private func retryInstant(_ value: String, log: Logger, nowMillis: Int64) -> Int64? {
        let maximum = Int64(settings.retryAfterMaxSeconds) * 1000
        guard let wait = RetryAfter.wait(value, nowMillis: nowMillis, maximumMillis: maximum) else { return nil }
        if wait.capped {
            log.warning("the data center asked to wait longer than uplink.retry_after_max_s; waiting the maximum", metadata: [
                "code": "\(LogCode.retryAfterCapped)", "retry_after": "\(String(value.prefix(64)))",
                "max_s": "\(settings.retryAfterMaxSeconds)",
            ])
        }
        return wait.instantMillis
    }

    /// Records the entry-by-entry answer: acknowledged readings are delivered, readings whose
    /// entry got a 4xx become dead letters, the others go back to the outbox for a later batch.
    private func settle(_ batch: OutboxBatch, _ result: TransactionResponse, status: Int, log: Logger,
                        nowMillis: Int64) -> DrainOutcome {
        var deferred: [BatchDeferral] = []
        var dead: [DeadLetterDraft] = []
        let attempts: [Int64: Int]
        do {
            attempts = result.rejected.isEmpty ? [:]
                : Dictionary(uniqueKeysWithValues: try store.readings(inBatch: batch.sequence).map { ($0.id, $0.attempts) })
        } catch {
            log.error("cannot read the batch's readings", metadata: ["code": "\(LogCode.batchReadingsUnreadable)", "error": "\(error)"])
            return .storeFailed(error)
        }
        for rejection in result.rejected {
            let stored = Self.storedError(rejection.reason, diagnostics: rejection.diagnostics)
            if let code = rejection.status, ResponseClass(status: code) == .refused {
                dead.append(DeadLetterDraft(readingID: rejection.id, httpStatus: code, reason: rejection.reason,
                                            response: rejection.diagnostics))
                log.error("the data center refused a reading; it is now a dead letter (see pocgate queue dead list)",
                          metadata: ["code": "\(LogCode.readingRefused)", "reading": "\(rejection.id)", "error": "\(rejection.reason)"])
            } else {
                let delay = retry.delayMillis(attempts: attempts[rejection.id] ?? 0)
                deferred.append(BatchDeferral(readingID: rejection.id, error: stored, nextAttemptAtMillis: nowMillis + delay))
                log.warning("the data center did not accept a reading; it goes into a later batch", metadata: ["code": "\(LogCode.readingDeferred)", 
                    "reading": "\(rejection.id)", "error": "\(rejection.reason)", "retry_in_ms": "\(delay)",
                ])
            }
        }
        do {
            try store.settleBatch(batch.sequence, status: status, delivered: result.accepted, deferred: deferred,
                                  deadLetters: dead, atMillis: nowMillis)
        } catch {
            log.error("the data center answered but the store cannot record it; the batch will be sent again",
                      metadata: ["code": "\(LogCode.deliveryNotRecorded)", "error": "\(error)"])
            return .storeFailed(error)
        }
        if !result.accepted.isEmpty {
            log.info("batch delivered", metadata: ["count": "\(result.accepted.count)", "status": "\(status)"])
        }
        guard !result.rejected.isEmpty else { return .delivered(count: result.accepted.count) }
        return .partiallyDelivered(delivered: result.accepted.count, deferred: deferred.count, deadLettered: dead.count)
    }

    /// The whole batch was refused (413, or a 4xx naming no entry): split it, or dead-letter a
    /// single reading, so one bad reading never blocks the others.
    private func refuse(_ batch: OutboxBatch, response: HTTPResponse, log: Logger, nowMillis: Int64) -> DrainOutcome {
        let issue = OutcomeIssue(body: response.body)
        let reason = "the data center refused the batch with HTTP \(response.status)" + (issue?.code.map { " (\($0))" } ?? "")
        let answer = issue?.diagnostics ?? String(decoding: response.body.prefix(4096), as: UTF8.self)
        do {
            let outcome = try store.refuseBatch(batch.sequence, status: response.status, reason: reason,
                                                response: answer.isEmpty ? nil : answer, atMillis: nowMillis)
            switch outcome {
            case .split(let limit):
                log.warning("the data center refused a batch; sending its readings in smaller batches", metadata: ["code": "\(LogCode.batchSplit)", 
                    "status": "\(response.status)", "count": "\(batch.readingCount)", "limit": "\(limit)",
                ])
            case .deadLettered(let id):
                log.error("the data center refused a reading; it is now a dead letter (see pocgate queue dead list)",
                          metadata: ["code": "\(LogCode.readingRefused)", "status": "\(response.status)", "reading": "\(id)"])
            }
            return .refused(count: batch.readingCount, status: response.status, outcome: outcome)
        } catch {
            log.error("cannot record a refused batch", metadata: ["code": "\(LogCode.refusalNotRecorded)", "error": "\(error)"])
            return .storeFailed(error)
        }
    }

    /// Keeps the batch pending and schedules the identical re-send: at `retryAt` (the server's
    /// Retry-After, which is not a failure: no attempt counted, the back-off does not grow) or
    /// with exponential backoff and jitter from the failures since the center last answered.
    private func postpone(_ batch: OutboxBatch, failure: DeliveryFailure, diagnostics: String? = nil, retryAt: Int64?,
                          log: Logger, nowMillis: Int64) -> DrainOutcome {
        let next: Int64
        let stored = Self.storedError(failure.description, diagnostics: diagnostics)
        do {
            if let retryAt {
                next = retryAt
                recovery.askedToWait()
                try store.postponeBatch(batch.sequence, error: stored, nextAttemptAtMillis: next)
            } else {
                next = nowMillis + recovery.failed(failure, policy: retry, nowMillis: nowMillis)
                try store.deferBatch(batch.sequence, error: stored, nextAttemptAtMillis: next)
            }
        } catch {
            log.error("cannot reschedule a failed batch", metadata: ["code": "\(LogCode.failedBatchNotRescheduled)", "error": "\(error)"])
            return .storeFailed(error)
        }
        failure.log(to: log, metadata: ["count": "\(batch.readingCount)", "error": "\(failure)", "retry_in_ms": "\(next - nowMillis)"])
        return .deferred(count: batch.readingCount, failure: failure, nextAttemptAtMillis: next)
    }

    /// The error kept in the outbox row: the logged reason plus the server's diagnostics,
    /// which stay in the database (it holds the clinical data anyway) and out of the logs.
    private static func storedError(_ reason: String, diagnostics: String?) -> String {
        guard let diagnostics, !diagnostics.isEmpty else { return reason }
        return reason + " — server diagnostics: " + diagnostics
    }
}
