public import PocGateCore

/// What `Store.attachPatient` did.
public struct AttachOutcome: Sendable, Equatable {
    /// The readings the patient was attached to: the one named and, for an ECG, every other
    /// reading of the same recording (waveform and measurements).
    public var attached: Int
    /// Of those, the ones now queued for upload (others stay held for another reason, such as
    /// the cart's clock).
    public var released: Int
    /// The patient identifier the device had sent (an exam number…), kept in the store.
    public var previousPatientID: String?
}

/// One reading held for its patient, as `pocgate queue held` lists it.
public struct HeldForPatient: Sendable, Equatable {
    public var id: Int64
    public var deviceSerial: String
    public var kind: ObservationKind
    public var deviceTime: LocalDateTime
    /// `no-patient-id`, `invalid-patient-id` or `unbound`.
    public var reason: String
    /// What the device sent as the patient (to be shown masked).
    public var sentPatientID: String?
}

extension Store {
    /// The reasons a reading can wait for a patient to be attached.
    static let patientHolds = [PatientHold.missingPatientID, .invalidPatientID, .unbound].map(\.rawValue)

    /// Attaches `patientID` (a valid resident ID) to reading `readingID`, held because its
    /// patient is missing or invalid, and to every other reading of the same ECG, then judges
    /// them again: those with no other hold are queued and uploaded with this patient. The
    /// identifier the device sent stays stored. One transaction, one audit entry (`attach`).
    ///
    /// - Throws: `StoreError.invalidPatientID` for an invalid ID, `.notHeldForPatient` when the
    ///   reading is unknown or not waiting for a patient (nothing changes).
    public func attachPatient(readingID: Int64, patientID: String, actor: String,
                              atMillis: Int64) throws(StoreError) -> AttachOutcome {
        let id = ResidentID.normalized(patientID)
        if let problem = ResidentID.problem(in: id, today: Self.plausibilityDay(atMillis: atMillis)) {
            throw .invalidPatientID(reason: problem.description)
        }
        let context = "attaching a patient to reading \(readingID)"
        return try locked { (db: Connection) throws(StoreError) -> AttachOutcome in
            try db.transaction(context) { () throws(StoreError) -> AttachOutcome in
                let (reading, held) = try heldRow(db, readingID, context: context)
                guard let held, Self.patientHolds.contains(held) else {
                    throw .notHeldForPatient(id: readingID, reason: held.map { "is held for '\($0)', not for its patient" }
                                             ?? "is not held (it was sent, or is waiting to be sent, with its patient)")
                }
                var ids = [readingID]
                if let group = reading.ecgGroupKey {
                    ids = try groupRows(db, serial: reading.deviceSerial, group: group, context: context)
                }
                for rowID in ids {
                    try db.withStatement("UPDATE readings SET attached_patient_id = ? WHERE id = ?", context: context) {
                        (st: Statement) throws(StoreError) in
                        try st.bind(1, id)
                        try st.bind(2, rowID)
                        _ = try st.step(context)
                    }
                }
                let released = try releaseAttached(db, ids: ids, atMillis: atMillis, context: context)
                try db.audit(AuditEntry(atMillis: atMillis, actor: actor, action: "attach", deviceSerial: reading.deviceSerial,
                                        oldPatientID: reading.patientID, newPatientID: id,
                                        detail: "reading \(readingID) (\(ids.count) readings of the recording), released \(released)"),
                             context: context)
                return AttachOutcome(attached: ids.count, released: released, previousPatientID: reading.patientID)
            }
        }
    }

    /// Readings held because their patient is missing, invalid or unbound, oldest first.
    public func heldForPatient(limit: Int = 200) throws(StoreError) -> [HeldForPatient] {
        let context = "listing readings held for their patient"
        return try locked { (db: Connection) throws(StoreError) -> [HeldForPatient] in
            try db.withStatement("""
                SELECT r.id, r.device_serial, r.kind, r.device_time, o.held_reason, r.patient_id
                FROM outbox o JOIN readings r ON r.id = o.reading_id
                WHERE o.held_reason IN (?, ?, ?) ORDER BY r.id LIMIT ?
                """, context: context) { (st: Statement) throws(StoreError) -> [HeldForPatient] in
                for (i, reason) in Self.patientHolds.enumerated() { try st.bind(Int32(i + 1), reason) }
                try st.bind(4, Int64(max(0, limit)))
                var out: [HeldForPatient] = []
                while try st.step(context) {
                    let id = st.int64(0)
                    guard let kind = ObservationKind(rawValue: st.text(2)) else {
                        throw .unreadableRow(id: id, column: "kind", value: st.text(2))
                    }
                    guard let time = LocalDateTime(iso: st.text(3)) else {
                        throw .unreadableRow(id: id, column: "device_time", value: st.text(3))
                    }
                    out.append(HeldForPatient(id: id, deviceSerial: st.text(1), kind: kind, deviceTime: time, reason: st.text(4),
                                              sentPatientID: st.optionalText(5)))
                }
                return out
            }
        }
    }

    /// The reading `id` and its outbox hold (nil: not held or not queued).
    private func heldRow(_ db: Connection, _ id: Int64, context: String) throws(StoreError) -> (Reading, String?) {
        try db.withStatement("""
            SELECT \(Self.readingColumns), o.held_reason, o.reading_id
            FROM readings r LEFT JOIN outbox o ON o.reading_id = r.id WHERE r.id = ?
            """, context: context) { (st: Statement) throws(StoreError) -> (Reading, String?) in
            try st.bind(1, id)
            guard try st.step(context) else { throw .notHeldForPatient(id: id, reason: "does not exist") }
            let row = try Self.readingFromRow(st)
            return (row.reading, st.optionalText(Self.firstExtraColumn))
        }
    }

    /// The ids of the readings of one ECG recording (same device, same record-key prefix).
    private func groupRows(_ db: Connection, serial: String, group: String, context: String) throws(StoreError) -> [Int64] {
        try db.withStatement("""
            SELECT id FROM readings WHERE device_serial = ? AND substr(record_key, 1, ?) = ? ORDER BY id
            """, context: context) { (st: Statement) throws(StoreError) -> [Int64] in
            try st.bind(1, serial)
            try st.bind(2, Int64(group.unicodeScalars.count))
            try st.bind(3, group)
            var ids: [Int64] = []
            while try st.step(context) { ids.append(st.int64(0)) }
            return ids
        }
    }

    /// Clears the patient hold of `ids` that are held for their patient; returns how many.
    private func releaseAttached(_ db: Connection, ids: [Int64], atMillis: Int64, context: String) throws(StoreError) -> Int {
        var released = 0
        for rowID in ids {
            try db.withStatement("""
                UPDATE outbox SET held_reason = NULL, next_attempt_at_ms = 0 WHERE reading_id = ? AND held_reason IN (?, ?, ?)
                """, context: context) { (st: Statement) throws(StoreError) in
                try st.bind(1, rowID)
                for (i, reason) in Self.patientHolds.enumerated() { try st.bind(Int32(i + 2), reason) }
                _ = try st.step(context)
                released += db.changes
            }
        }
        return released
    }
}
