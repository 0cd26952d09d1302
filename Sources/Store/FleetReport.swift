/// What the gateway tells the data center about itself (the heartbeat) and writes for local
/// monitoring (the metrics file): its queue and store, each meter it has seen, and counts of
/// readings and sessions. Times are Unix milliseconds.
public struct FleetReport: Sendable, Equatable {
    /// Readings waiting in the outbox (the queue depth; held readings not counted).
    public var pending: Int
    /// When the oldest waiting reading was received; nil when nothing waits.
    public var oldestPendingReceivedAtMillis: Int64?
    /// When the data center last acknowledged a reading; nil before the first.
    public var lastDeliveredAtMillis: Int64?
    /// Readings held back from upload until a person acts (clock, value, patient holds).
    public var held: Int
    /// Dead letters waiting for a person (dropped ones not counted).
    public var deadLetters: Int
    /// Bytes held by the database's live pages.
    public var usedBytes: Int64
    /// The store's cap (`store.max_size_mb`); nil when only the disk limits it.
    public var limitBytes: Int64?
    /// Sessions that have ended, to tell when one more ended.
    public var endedSessions: Int
    /// The meters seen, most recent session first, at most `FleetReport.maximumDevices`.
    public var devices: [FleetDevice]
    /// Readings the store holds, by state, kind and profile.
    public var readingCounts: [ReadingCount]
    /// Sessions the store holds, by outcome name (`outcomeName`; `open` for one still running).
    public var sessionOutcomes: [String: Int]

    /// The most meters one report lists: a gateway serves a handful, so this only bounds
    /// the heartbeat and the metrics file when something invents serials.
    public static let maximumDevices = 256

    /// A session outcome without its detail: `transport-failed: EIO …` → `transport-failed`,
    /// `timed-out(R)` → `timed-out`; a handful of names, fit for a metric label.
    public static func outcomeName(_ outcome: String) -> String {
        let name = outcome.prefix { $0 != ":" && $0 != "(" && $0 != " " }
        return name.isEmpty ? "ended" : String(name.prefix(40))
    }

    /// Bytes left under the cap; nil without a cap.
    public var headroomBytes: Int64? { limitBytes.map { max(0, $0 - usedBytes) } }

    public init(pending: Int, oldestPendingReceivedAtMillis: Int64?, lastDeliveredAtMillis: Int64?, held: Int,
                deadLetters: Int, usedBytes: Int64, limitBytes: Int64?, endedSessions: Int, devices: [FleetDevice],
                readingCounts: [ReadingCount], sessionOutcomes: [String: Int]) {
        self.pending = pending
        self.oldestPendingReceivedAtMillis = oldestPendingReceivedAtMillis
        self.lastDeliveredAtMillis = lastDeliveredAtMillis
        self.held = held
        self.deadLetters = deadLetters
        self.usedBytes = usedBytes
        self.limitBytes = limitBytes
        self.endedSessions = endedSessions
        self.devices = devices
        self.readingCounts = readingCounts
        self.sessionOutcomes = sessionOutcomes
    }

    /// Readings of one kind and profile in one state.
    public struct ReadingCount: Sendable, Equatable {
        /// `pending` (waiting for upload), `held` (waiting for a person), `uploaded`
        /// (acknowledged), `dead` (refused by the center) or `local` (never uploaded: control
        /// results, dropped dead letters).
        public var state: String
        /// The reading kind (`glucose`, `blood-pressure`, …).
        public var kind: String
        /// The profile that decoded it.
        public var profileID: String
        public var count: Int

        public init(state: String, kind: String, profileID: String, count: Int) {
            self.state = state
            self.kind = kind
            self.profileID = profileID
            self.count = count
        }
    }
}

/// One meter the gateway has seen, from its most recent identified session and readings.
public struct FleetDevice: Sendable, Equatable {
    /// The serial it reported (or its connection name when it reports none).
    public var serial: String
    /// The model it reported.
    public var model: String
    /// The profile that served its last session.
    public var profileID: String
    /// When its last session started.
    public var lastSessionStartedAtMillis: Int64
    /// How its last session ended; nil while it runs.
    public var lastSessionOutcome: String?
    /// When the gateway received its newest reading; nil when it has none stored.
    public var lastReadingReceivedAtMillis: Int64?
    /// Gateway clock − device clock measured for its newest reading, seconds; nil when that
    /// session could not read the clock.
    public var clockOffsetSeconds: Int64?

    public init(serial: String, model: String, profileID: String, lastSessionStartedAtMillis: Int64,
                lastSessionOutcome: String?, lastReadingReceivedAtMillis: Int64?, clockOffsetSeconds: Int64?) {
        self.serial = serial
        self.model = model
        self.profileID = profileID
        self.lastSessionStartedAtMillis = lastSessionStartedAtMillis
        self.lastSessionOutcome = lastSessionOutcome
        self.lastReadingReceivedAtMillis = lastReadingReceivedAtMillis
        self.clockOffsetSeconds = clockOffsetSeconds
    }
}
