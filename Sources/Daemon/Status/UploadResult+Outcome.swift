package import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Store
package import Uplink

package extension UploadResult {
    /// The result of a batch the uplink worker attempted, or nil for outcomes that are no
    /// upload attempt (nothing due, cancelled by shutdown).
    init?(_ outcome: DrainOutcome, at date: Date) {
        let redactor = LogRedactor()
        switch outcome {
        case .idle, .cancelled, .waiting:
            return nil
        case .delivered(let count):
            self.init(at: date, ok: true, detail: "delivered \(count)")
        case .partiallyDelivered(let delivered, let deferred, let deadLettered):
            self.init(at: date, ok: false,
                      detail: "delivered \(delivered), \(deferred) deferred, \(deadLettered) refused by the data center (dead letters)")
        case .refused(let count, let status, let outcome):
            switch outcome {
            case .split(let limit):
                self.init(at: date, ok: false, detail: "HTTP \(status): batch of \(count) refused, re-sent in batches of at most \(limit)")
            case .deadLettered:
                self.init(at: date, ok: false, detail: "HTTP \(status): one reading refused, now a dead letter")
            }
        case .deferred(let count, let failure, _):
            self.init(at: date, ok: false, detail: redactor.redact("\(count) not delivered: \(failure)"))
        case .storeFailed(let error):
            self.init(at: date, ok: false, detail: redactor.redact("\(error)"))
        }
    }
}
