public import PocGateCore

/// A reading as kept in the store, with its row id and delivery state.
public struct StoredReading: Sendable, Equatable {
    /// The row id; stable for the life of the database.
    public var id: Int64
    /// The reading itself.
    public var reading: Reading
    /// When the gateway received it (Unix milliseconds).
    public var receivedAtMillis: Int64
    /// How many delivery attempts have failed so far.
    public var attempts: Int
    /// Which gateway and profile produced it.
    public var provenance: ReadingProvenance
    /// The session that read it, when known.
    public var sessionID: Int64?
    /// The most readings the next batch holding this one may have, after the data center
    /// refused a larger batch (413 or another 4xx); nil = the configured batch size.
    public var batchLimit: Int?
    /// The device time corrected by the session's clock skew (docs/CODES.md, "Device time");
    /// nil for readings stored without a verdict (before schema v3): the device time applies.
    public var correctedTime: LocalDateTime?
    /// Gateway clock − device clock at connect, seconds; nil when unknown (clock unreadable).
    public var clockOffsetSeconds: Int64?

    /// The patient the gateway's binding assigned (`patients.binding: gateway`): the device's
    /// bound patient when the reading was stored, or when a held `unbound` reading was
    /// released by `pocgate bind`; nil otherwise.
    public var boundPatientID: String?

    /// The patient a technician attached by hand (`pocgate queue attach`) to a reading held
    /// for its patient (an ECG recorded with no resident ID, or with a clinic exam number);
    /// nil otherwise.
    public var attachedPatientID: String?

    /// For a correction, a withdrawal, or a final result after a preliminary one: the record
    /// key of the earlier reading it amends (same device, same `Reading.identity`); it is
    /// uploaded as an update of that reading's Observation. Nil otherwise.
    public var amendsRecordKey: String?

    /// The patient the reading is uploaded for: the one attached by hand, else the one the
    /// device supplied, else the bound one.
    /// When a person released the reading's value hold (`Reading.valueHold`) after checking
    /// the value (`pocgate queue release --reason implausible-value --reading ID`); nil otherwise.
    public var valueReleasedAtMillis: Int64?

    public var subjectPatientID: String? { attachedPatientID ?? reading.patientID ?? boundPatientID }

    /// The time to upload as the reading's effective time: the corrected time when known.
    public var effectiveTime: LocalDateTime { correctedTime ?? reading.deviceTime }

    public init(id: Int64, reading: Reading, receivedAtMillis: Int64, attempts: Int,
                provenance: ReadingProvenance = ReadingProvenance(), sessionID: Int64? = nil, batchLimit: Int? = nil,
                correctedTime: LocalDateTime? = nil, clockOffsetSeconds: Int64? = nil, boundPatientID: String? = nil,
                attachedPatientID: String? = nil, amendsRecordKey: String? = nil, valueReleasedAtMillis: Int64? = nil) {
        self.valueReleasedAtMillis = valueReleasedAtMillis
        self.boundPatientID = boundPatientID
        self.attachedPatientID = attachedPatientID
        self.amendsRecordKey = amendsRecordKey
        self.correctedTime = correctedTime
        self.clockOffsetSeconds = clockOffsetSeconds
        self.id = id
        self.reading = reading
        self.receivedAtMillis = receivedAtMillis
        self.attempts = attempts
        self.provenance = provenance
        self.sessionID = sessionID
        self.batchLimit = batchLimit
    }
}

/// What `Store.insert` did with a reading.
public enum InsertOutcome: Sendable, Equatable {
    /// The reading is new; it was stored and queued for delivery.
    case inserted(id: Int64)
    /// A reading with the same device serial and record key is already stored; nothing changed.
    case duplicate(id: Int64)
    /// The reading was delivered long ago and its row pruned to make room (only its identity is
    /// kept); nothing changed.
    case alreadyDelivered

    /// The row id of the stored reading; nil when it was pruned.
    public var id: Int64? {
        switch self {
        case .inserted(let id), .duplicate(let id): return id
        case .alreadyDelivered: return nil
        }
    }

    /// Whether the reading was new.
    public var isNew: Bool {
        if case .inserted = self { return true }
        return false
    }
}
