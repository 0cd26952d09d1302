/// What an HTTP status means for a batch (or, for an entry status, a reading).
enum ResponseClass: Equatable {
    /// 2xx: read the transaction-response entry by entry.
    case success
    /// Try the same batch again later (5xx, 408, 425, 429): the server is busy or broken.
    case later
    /// A setting is wrong on one side (401, 403, 404, 405, 407, 415): keep the batch and retry
    /// with backoff, logged as an error for a technician; dead-lettering every reading would be worse.
    case configuration
    /// The server refuses this content (413, 400, 409, 412, 422 and other 4xx): split the batch,
    /// down to single readings, which become dead letters.
    case refused
    /// 1xx or 3xx left over after redirects were handled: retry later.
    case unexpected

    init(status: Int) {
        switch status {
        case 200...299: self = .success
        case 408, 425, 429, 500...599: self = .later
        case 401, 403, 404, 405, 407, 415: self = .configuration
        case 400...499: self = .refused
        default: self = .unexpected
        }
    }
}
