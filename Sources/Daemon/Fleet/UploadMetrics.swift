import Synchronization
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Uplink

/// Counters of the upload of readings and of the heartbeat since the daemon started, for the
/// metrics file: attempts by result, failures by class, readings acknowledged, and how long
/// each attempt took (a histogram). Any thread.
package final class UploadMetrics: @unchecked Sendable {
    /// Upper bounds of the duration histogram's buckets, seconds (`+Inf` is implied).
    package static let bucketBounds: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
    /// Every `result` label value, so a result that never happened reads 0, not absent.
    package static let results = ["delivered", "partial", "deferred", "refused", "store_failed"]
    /// Every failure `class` label value: no answer (`network`), a TLS failure (`tls`), a
    /// refused redirect (`redirect`), 429 (`throttled`), another 5xx or 408 (`server`),
    /// another status (`http`), a 2xx that does not acknowledge the Bundle
    /// (`invalid_response`), a whole Bundle refused (`refused`), entries refused or deferred
    /// one by one (`entries`), the store (`store`).
    package static let classes = ["network", "tls", "redirect", "throttled", "server", "http", "invalid_response", "refused",
                          "entries", "store"]

    /// What the counters held at one instant.
    package struct Snapshot: Sendable, Equatable {
        var attempts: [String: Int] = [:]
        var failures: [String: Int] = [:]
        var readingsUploaded = 0
        /// Per bucket of `bucketBounds`, not cumulative; the last one is above every bound.
        var bucketCounts = Array(repeating: 0, count: UploadMetrics.bucketBounds.count + 1)
        var durationSumSeconds = 0.0
        var durationCount = 0
        var heartbeats: [String: Int] = [:]
    }

    private let counts = Mutex(Snapshot())

    package var snapshot: Snapshot { counts.withLock { $0 } }

    /// Counts one attempt of the upload worker; `duration` is how long it took (nil: unknown).
    package func record(_ outcome: DrainOutcome, duration: Duration?) {
        guard let result = Self.result(outcome) else { return }
        let failure = Self.failureClass(outcome)
        counts.withLock { counts in
            counts.attempts[result, default: 0] += 1
            if let failure { counts.failures[failure, default: 0] += 1 }
            counts.readingsUploaded += outcome.deliveredCount
            // A store failure sent nothing: its time says nothing about the link.
            if let duration, result != "store_failed" {
                let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
                let bucket = Self.bucketBounds.firstIndex { seconds <= $0 } ?? Self.bucketBounds.count
                counts.bucketCounts[bucket] += 1
                counts.durationSumSeconds += seconds
                counts.durationCount += 1
            }
        }
    }

    /// Counts one heartbeat: sent (acknowledged) or failed.
    package func recordHeartbeat(sent: Bool) {
        counts.withLock { $0.heartbeats[sent ? "sent" : "failed", default: 0] += 1 }
    }

    /// The `result` label of an attempt; nil for what is not an attempt (idle, waiting, cancelled).
    package static func result(_ outcome: DrainOutcome) -> String? {
        switch outcome {
        case .delivered: return "delivered"
        case .partiallyDelivered: return "partial"
        case .deferred: return "deferred"
        case .refused: return "refused"
        case .storeFailed: return "store_failed"
        case .idle, .waiting, .cancelled: return nil
        }
    }

    /// The failure `class` of an attempt; nil when nothing failed.
    package static func failureClass(_ outcome: DrainOutcome) -> String? {
        switch outcome {
        case .deferred(_, let failure, _):
            switch failure {
            case .transport(let error):
                if error.isTLS { return "tls" }
                if case .redirectRefused = error { return "redirect" }
                return "network"
            case .httpStatus(let status, _):
                if status == 429 { return "throttled" }
                return status >= 500 || status == 408 ? "server" : "http"
            case .invalidResponse:
                return "invalid_response"
            }
        case .refused: return "refused"
        case .partiallyDelivered(_, let deferred, let dead): return deferred + dead > 0 ? "entries" : nil
        case .storeFailed: return "store"
        case .delivered, .idle, .waiting, .cancelled: return nil
        }
    }
}
