import Foundation
import Uplink

extension UploadResult {
    /// The result of a batch the uplink worker attempted, or nil for outcomes that are no
    /// upload attempt (nothing due, cancelled by shutdown).
    init?(_ outcome: DrainOutcome, at date: Date) {
        let redactor = LogRedactor()
        switch outcome {
        case .idle, .cancelled:
            return nil
        case .delivered(let count):
            self.init(at: date, ok: true, detail: "delivered \(count)")
        case .partiallyDelivered(let delivered, let deferred):
            self.init(at: date, ok: false, detail: "delivered \(delivered), \(deferred) refused by the data center")
        case .deferred(let count, let failure, _):
            self.init(at: date, ok: false, detail: redactor.redact("\(count) not delivered: \(failure)"))
        case .storeFailed(let error):
            self.init(at: date, ok: false, detail: redactor.redact("\(error)"))
        }
    }
}
