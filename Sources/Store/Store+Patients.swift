public import PocGateCore

/// What the patient rule decided for one reading.
struct PatientVerdict: Sendable, Equatable {
    /// Why the reading is held for its patient; nil when it may be sent.
    var hold: PatientHold?
    /// The bound patient stored with the reading (gateway binding), if any.
    var boundPatientID: String?
}

extension Store {
    /// The day used for the birth-date plausibility check at Unix ms `millis`: the UTC date of
    /// the next day, so a number born "today" in any zone is accepted.
    static func plausibilityDay(atMillis millis: Int64) -> LocalDateTime {
        LocalDateTime(secondsSinceEpoch: millis / 1000 + 86_400)
    }

    /// The patient rule (docs/CODES.md "Patients") for `reading` as it would be stored now.
    func patientVerdict(_ db: Connection, _ reading: Reading, patients: PatientBinding, atMillis: Int64,
                        context: String) throws(StoreError) -> PatientVerdict {
        let today = Self.plausibilityDay(atMillis: atMillis)
        if let supplied = reading.patientID {
            return PatientVerdict(hold: ResidentID.isValid(supplied, today: today) ? nil : .invalidPatientID)
        }
        // A cart serves every patient of the clinic: neither the center (by device) nor a
        // binding can tell whose ECG this is.
        if reading.kind.isECG { return PatientVerdict(hold: .missingPatientID) }
        guard patients == .gateway else { return PatientVerdict() }
        guard let bound = try db.binding(forDevice: reading.deviceSerial, context: context) else {
            return PatientVerdict(hold: .unbound)
        }
        return PatientVerdict(hold: ResidentID.isValid(bound.patientID, today: today) ? nil : .invalidPatientID,
                              boundPatientID: bound.patientID)
    }

    /// The `held_reason` of reading `id`'s outbox row; nil when it is not held (or not queued).
    public func heldReason(readingID id: Int64) throws(StoreError) -> String? {
        let context = "reading the hold of reading \(id)"
        return try locked { (db: Connection) throws(StoreError) -> String? in
            try db.withStatement("SELECT held_reason FROM outbox WHERE reading_id = ?", context: context) {
                (st: Statement) throws(StoreError) -> String? in
                try st.bind(1, id)
                return try st.step(context) ? st.optionalText(0) : nil
            }
        }
    }

    /// Every device binding, by device serial.
    public func bindings() throws(StoreError) -> [DeviceBindingRecord] {
        let context = "reading the device bindings"
        return try locked { (db: Connection) throws(StoreError) -> [DeviceBindingRecord] in
            try db.withStatement("SELECT device_serial, patient_id, bound_at_ms, bound_by FROM device_bindings ORDER BY device_serial",
                                 context: context) { (st: Statement) throws(StoreError) -> [DeviceBindingRecord] in
                var out: [DeviceBindingRecord] = []
                while try st.step(context) {
                    out.append(DeviceBindingRecord(deviceSerial: st.text(0), patientID: st.text(1), boundAtMillis: st.int64(2),
                                                   boundBy: st.text(3)))
                }
                return out
            }
        }
    }

    /// Binds `deviceSerial` to `patientID` (replacing any binding), writes the audit entry and
    /// releases the device's readings held `unbound`: they are sent for `patientID`. One
    /// transaction. Readings stored under an earlier binding keep their patient.
    ///
    /// - Throws: `StoreError.invalidPatientID` when `patientID` is not a valid resident ID.
    public func bind(deviceSerial: String, patientID: String, actor: String, atMillis: Int64) throws(StoreError) -> BindOutcome {
        let id = ResidentID.normalized(patientID)
        if let problem = ResidentID.problem(in: id, today: Self.plausibilityDay(atMillis: atMillis)) {
            throw .invalidPatientID(reason: problem.description)
        }
        let context = "binding device \(deviceSerial)"
        return try locked { (db: Connection) throws(StoreError) -> BindOutcome in
            try db.transaction(context) { () throws(StoreError) -> BindOutcome in
                let old = try db.binding(forDevice: deviceSerial, context: context)
                try db.withStatement("""
                    INSERT INTO device_bindings(device_serial, patient_id, bound_at_ms, bound_by) VALUES (?, ?, ?, ?)
                    ON CONFLICT(device_serial) DO UPDATE SET patient_id = excluded.patient_id,
                        bound_at_ms = excluded.bound_at_ms, bound_by = excluded.bound_by
                    """, context: context) { (st: Statement) throws(StoreError) in
                    try st.bind(1, deviceSerial)
                    try st.bind(2, id)
                    try st.bind(3, atMillis)
                    try st.bind(4, actor)
                    _ = try st.step(context)
                }
                let released = try releaseRows(db, reasons: [PatientHold.unbound.rawValue], deviceSerial: deviceSerial,
                                               patients: .gateway, atMillis: atMillis, context: context)
                try db.audit(AuditEntry(atMillis: atMillis, actor: actor, action: old == nil ? "bind" : "rebind",
                                        deviceSerial: deviceSerial, oldPatientID: old?.patientID, newPatientID: id,
                                        detail: "released \(released.released) held unbound readings"), context: context)
                return BindOutcome(previousPatientID: old?.patientID, released: released.released)
            }
        }
    }

    /// Removes `deviceSerial`'s binding and writes the audit entry; returns the patient it was
    /// bound to (nil: it was not bound, nothing changed and nothing is audited). Readings
    /// already stored keep their patient; new ones from the device are held `unbound`.
    public func unbind(deviceSerial: String, actor: String, atMillis: Int64) throws(StoreError) -> String? {
        let context = "unbinding device \(deviceSerial)"
        return try locked { (db: Connection) throws(StoreError) -> String? in
            try db.transaction(context) { () throws(StoreError) -> String? in
                guard let old = try db.binding(forDevice: deviceSerial, context: context) else { return nil }
                try db.withStatement("DELETE FROM device_bindings WHERE device_serial = ?", context: context) {
                    (st: Statement) throws(StoreError) in
                    try st.bind(1, deviceSerial)
                    _ = try st.step(context)
                }
                try db.audit(AuditEntry(atMillis: atMillis, actor: actor, action: "unbind", deviceSerial: deviceSerial,
                                        oldPatientID: old.patientID, newPatientID: nil, detail: nil), context: context)
                return old.patientID
            }
        }
    }

    /// Releases readings held for any of `reasons` after a person fixed the cause (set the
    /// meter's clock, bound the device, corrected a binding): each is judged again by the
    /// patient rule with the bindings now in force, so a reading whose patient is still
    /// missing or invalid stays held (with that reason). Writes one audit entry.
    public func releaseHeld(reasons: [String], patients: PatientBinding, actor: String,
                            atMillis: Int64) throws(StoreError) -> ReleaseOutcome {
        let context = "releasing held readings (\(reasons.joined(separator: ", ")))"
        return try locked { (db: Connection) throws(StoreError) -> ReleaseOutcome in
            try db.transaction(context) { () throws(StoreError) -> ReleaseOutcome in
                let outcome = try releaseRows(db, reasons: reasons, patients: patients,
                                              atMillis: atMillis, context: context)
                try db.audit(AuditEntry(atMillis: atMillis, actor: actor, action: "release", deviceSerial: nil,
                                        oldPatientID: nil, newPatientID: nil,
                                        detail: "reasons \(reasons.joined(separator: ",")): released \(outcome.released), "
                                            + "still held \(outcome.stillHeld)"), context: context)
                return outcome
            }
        }
    }

    /// The audit log, newest first.
    public func auditLog(limit: Int = 100) throws(StoreError) -> [AuditEntry] {
        let context = "reading the audit log"
        return try locked { (db: Connection) throws(StoreError) -> [AuditEntry] in
            try db.withStatement("""
                SELECT at_ms, actor, action, device_serial, old_patient_id, new_patient_id, detail
                FROM audit_log ORDER BY id DESC LIMIT ?
                """, context: context) { (st: Statement) throws(StoreError) -> [AuditEntry] in
                try st.bind(1, Int64(max(0, limit)))
                var out: [AuditEntry] = []
                while try st.step(context) {
                    out.append(AuditEntry(atMillis: st.int64(0), actor: st.text(1), action: st.text(2),
                                          deviceSerial: st.optionalText(3), oldPatientID: st.optionalText(4),
                                          newPatientID: st.optionalText(5), detail: st.optionalText(6)))
                }
                return out
            }
        }
    }

    /// Re-judges held rows with one of `reasons` (of one device, one reading, or all); inside a
    /// transaction. A value hold not yet released by a person comes back before the patient rule:
    /// releasing another reason never uploads an implausible value unchecked.
    func releaseRows(_ db: Connection, reasons: [String], deviceSerial: String? = nil, readingID: Int64? = nil,
                     patients: PatientBinding, atMillis: Int64, context: String) throws(StoreError) -> ReleaseOutcome {
        guard !reasons.isEmpty else { return ReleaseOutcome(released: 0, stillHeld: 0) }
        let placeholders = reasons.map { _ in "?" }.joined(separator: ", ")
        let rows = try db.withStatement("""
            SELECT \(Self.readingColumns), o.attempts, o.batch_limit
            FROM outbox o JOIN readings r ON r.id = o.reading_id
            WHERE o.held_reason IN (\(placeholders))\(deviceSerial == nil ? "" : " AND r.device_serial = ?")\(readingID == nil ? "" : " AND r.id = ?")
            ORDER BY o.reading_id
            """, context: context) { (st: Statement) throws(StoreError) -> [StoredReading] in
            for (i, reason) in reasons.enumerated() { try st.bind(Int32(i + 1), reason) }
            var next = Int32(reasons.count + 1)
            if let deviceSerial {
                try st.bind(next, deviceSerial)
                next += 1
            }
            if let readingID { try st.bind(next, readingID) }
            var out: [StoredReading] = []
            while try st.step(context) {
                out.append(try Self.storedReadingFromRow(st, attemptsColumn: Self.firstExtraColumn, batchLimitColumn: nil))
            }
            return out
        }
        var released = 0
        for row in rows {
            var verdict = try patientVerdict(db, row.reading, patients: patients, atMillis: atMillis, context: context)
            if let attached = row.attachedPatientID {
                // A patient attached by hand replaces whatever the device sent.
                verdict = PatientVerdict(hold: ResidentID.isValid(attached, today: Self.plausibilityDay(atMillis: atMillis))
                                            ? nil : .invalidPatientID, boundPatientID: row.boundPatientID)
            } else if row.reading.patientID == nil, let kept = row.boundPatientID {
                // A reading stored under a binding keeps that patient.
                verdict = PatientVerdict(hold: ResidentID.isValid(kept, today: Self.plausibilityDay(atMillis: atMillis))
                                            ? nil : .invalidPatientID, boundPatientID: kept)
            }
            let valueHold = row.valueReleasedAtMillis == nil ? row.reading.valueHold : nil
            try db.withStatement(
                "UPDATE outbox SET held_reason = ?, next_attempt_at_ms = 0 WHERE reading_id = ?", context: context
            ) { (st: Statement) throws(StoreError) in
                try st.bind(1, valueHold?.rawValue ?? verdict.hold?.rawValue)
                try st.bind(2, row.id)
                _ = try st.step(context)
            }
            try db.withStatement("UPDATE readings SET bound_patient_id = ? WHERE id = ?", context: context) {
                (st: Statement) throws(StoreError) in
                try st.bind(1, verdict.boundPatientID)
                try st.bind(2, row.id)
                _ = try st.step(context)
            }
            if valueHold == nil, verdict.hold == nil { released += 1 }
        }
        return ReleaseOutcome(released: released, stillHeld: rows.count - released)
    }
}

extension Connection {
    /// The binding of `serial`, if any.
    func binding(forDevice serial: String, context: String) throws(StoreError) -> DeviceBindingRecord? {
        try withStatement("SELECT patient_id, bound_at_ms, bound_by FROM device_bindings WHERE device_serial = ?",
                          context: context) { (st: Statement) throws(StoreError) -> DeviceBindingRecord? in
            try st.bind(1, serial)
            guard try st.step(context) else { return nil }
            return DeviceBindingRecord(deviceSerial: serial, patientID: st.text(0), boundAtMillis: st.int64(1), boundBy: st.text(2))
        }
    }

    /// Appends `entry` to the audit log.
    func audit(_ entry: AuditEntry, context: String) throws(StoreError) {
        try withStatement("""
            INSERT INTO audit_log(at_ms, actor, action, device_serial, old_patient_id, new_patient_id, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, context: context) { (st: Statement) throws(StoreError) in
            try st.bind(1, entry.atMillis)
            try st.bind(2, entry.actor)
            try st.bind(3, entry.action)
            try st.bind(4, entry.deviceSerial)
            try st.bind(5, entry.oldPatientID)
            try st.bind(6, entry.newPatientID)
            try st.bind(7, entry.detail)
            _ = try st.step(context)
        }
    }
}
