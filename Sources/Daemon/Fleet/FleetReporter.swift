import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Logging
import PocGateCore
package import Store
package import Uplink

/// Decides when the heartbeat goes to the data center and when the metrics file is
/// rewritten. It owns no thread: the status publisher's thread calls `tick` after each change
/// it publishes and at the instant `tick` last asked for, so an idle gateway wakes only for
/// the heartbeat interval itself (and not at all without a heartbeat).
///
/// - The store is read at most every `readMinimumMillis` while changes keep coming; each read
///   rewrites the metrics file and looks for a change the center should hear of at once.
/// - The heartbeat goes at start, every `intervalSeconds`, and (at most every
///   `changeSpacingMillis`) when a meter is seen for the first time or a session ended. A
///   failure is retried at the next interval, never sooner: no back-off, nothing shared with
///   the upload of readings.
package final class FleetReporter: @unchecked Sendable {
    /// The fewest milliseconds between two reads of the store for the metrics file.
    package static let readMinimumMillis: Int64 = 10_000
    /// The fewest milliseconds between a heartbeat and one sent for a change.
    package static let changeSpacingMillis: Int64 = 60_000

    /// What a change must alter to be worth a heartbeat before the interval.
    package struct Fingerprint: Equatable {
        var devices: Set<String>
        var endedSessions: Int

        init(_ report: FleetReport) {
            devices = Set(report.devices.map(\.serial))
            endedSessions = report.endedSessions
        }
    }

    private let read: @Sendable () throws(StoreError) -> FleetReport
    private let send: (@Sendable (FleetReport, Int64) -> Bool)?
    private let intervalMillis: Int64
    private let metricsFile: MetricsFile?
    private let format: MetricsText.Format
    private let facts: GatewayFacts
    private let logger: Logger
    /// The upload and heartbeat counters (any thread).
    package let uploads = UploadMetrics()

    /// Only `tick` touches these, on one thread at a time.
    private var changePending = true
    private var lastReadMillis: Int64?
    private var nextHeartbeatMillis: Int64?
    private var lastHeartbeatMillis: Int64?
    private var fingerprint: Fingerprint?
    private var lastMetricsError: String?
    private var readFailing = false

    /// - Parameters:
    ///   - read: the store's `fleetReport()`.
    ///   - send: sends a heartbeat of the report at the instant given; true when the center
    ///     acknowledged it. nil: no heartbeat.
    ///   - metricsFile: nil: no metrics file.
    package init(read: @escaping @Sendable () throws(StoreError) -> FleetReport, send: (@Sendable (FleetReport, Int64) -> Bool)?,
         metricsFile: MetricsFile?, format: MetricsText.Format, facts: GatewayFacts, logger: Logger) {
        self.read = read
        self.send = send
        self.intervalMillis = Int64(max(facts.intervalSeconds, 1)) * 1000
        self.metricsFile = metricsFile
        self.format = format
        self.facts = facts
        self.logger = logger
        nextHeartbeatMillis = send == nil ? nil : 0  // due at once: a heartbeat at start
    }

    /// Does what is due at `nowMillis` (Unix ms); `changed` when something the status shows
    /// changed since the last call. Returns when to call again if nothing changes meanwhile
    /// (nil: only on a change).
    package func tick(nowMillis: Int64, changed: Bool) -> Int64? {
        if changed { changePending = true }
        var report: FleetReport?
        var readDone = false
        func current() -> FleetReport? {
            if !readDone {
                readDone = true
                report = readStore()
            }
            return report
        }
        if changePending, lastReadMillis.map({ nowMillis - $0 >= Self.readMinimumMillis || nowMillis < $0 }) ?? true {
            changePending = false
            lastReadMillis = nowMillis
            let fresh = current()
            if metricsFile != nil { writeMetrics(fresh) }
            if send != nil, let fresh {
                let print = Fingerprint(fresh)
                if let old = fingerprint, old != print, var due = nextHeartbeatMillis {
                    due = min(due, max(nowMillis, (lastHeartbeatMillis ?? .min) + Self.changeSpacingMillis))
                    nextHeartbeatMillis = due
                }
                fingerprint = print
            }
        }
        if let due = nextHeartbeatMillis, due - nowMillis > intervalMillis {
            nextHeartbeatMillis = nowMillis  // the wall clock went back: do not wait out the jump
        }
        if let send, let due = nextHeartbeatMillis, nowMillis >= due {
            if let fresh = current() {
                uploads.recordHeartbeat(sent: send(fresh, nowMillis))
                fingerprint = Fingerprint(fresh)
                changePending = metricsFile != nil  // the heartbeat counters changed
            }
            lastHeartbeatMillis = nowMillis
            nextHeartbeatMillis = nowMillis + intervalMillis
        }
        var next = nextHeartbeatMillis
        if changePending, let last = lastReadMillis { next = min(next ?? .max, last + Self.readMinimumMillis) }
        return next
    }

    private func readStore() -> FleetReport? {
        do {
            let report = try read()
            readFailing = false
            return report
        } catch {
            if !readFailing {
                readFailing = true
                logger.error("cannot read the store for the heartbeat and the metrics file; both go without its figures",
                             metadata: ["code": "\(LogCode.fleetReportUnreadable)", "error": "\(error)"])
            }
            return nil
        }
    }

    private func writeMetrics(_ report: FleetReport?) {
        guard let metricsFile else { return }
        let text = MetricsText.render(report: report, uploads: uploads.snapshot, gatewayID: facts.gatewayID,
                                      version: facts.version, startedAtMillis: facts.startedAtMillis, format: format)
        do {
            try metricsFile.write(text)
            lastMetricsError = nil
        } catch {
            guard lastMetricsError != error.description else { return }
            lastMetricsError = error.description
            logger.warning("cannot write the metrics file; node_exporter keeps showing the last one written",
                           metadata: ["code": "\(LogCode.metricsWriteFailed)", "error": "\(error)"])
        }
    }
}
