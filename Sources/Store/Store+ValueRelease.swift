public import PocGateCore

/// One reading held for its value, as `pocgate queue held` lists it.
public struct HeldValue: Sendable, Equatable {
    public var id: Int64
    public var deviceSerial: String
    public var kind: ObservationKind
    public var deviceTime: LocalDateTime
    /// The value and its UCUM unit exactly as the device sent them.
    public var value: String
    public var unit: String
    /// `implausible-value` or `device-warning`.
    public var reason: String
}

extension Store {
    /// The reasons a reading waits for a person to check its value.
    static let valueHolds = ValueHold.allCases.map(\.rawValue)

    /// Releases reading `readingID`, held for `reason` (a value outside the plausible range, or
    /// one the device itself warned about), after a person checked the value. The reading keeps
    /// its value hold (`readings.value_hold`) and gets `value_released_at_ms`, so its upload says
    /// it was reviewed and no later release by another reason holds it again; it is then judged
    /// by the patient rule like any released reading. One transaction, one audit entry
    /// (`release-value`, with the reading, the reason and `note`).
    ///
    /// - Returns: whether it is now queued for upload (false: still held for its patient).
    /// - Throws: `StoreError.notHeldForValue` when the reading is unknown or not held for
    ///   `reason` (nothing changes).
    public func releaseValue(readingID: Int64, reason: ValueHold, note: String, patients: PatientBinding, actor: String,
                             atMillis: Int64) throws(StoreError) -> Bool {
        let context = "releasing the value of reading \(readingID)"
        return try locked { (db: Connection) throws(StoreError) -> Bool in
            try db.transaction(context) { () throws(StoreError) -> Bool in
                let (serial, held) = try db.withStatement("""
                    SELECT r.device_serial, o.held_reason FROM readings r LEFT JOIN outbox o ON o.reading_id = r.id WHERE r.id = ?
                    """, context: context) { (st: Statement) throws(StoreError) -> (String, String?) in
                    try st.bind(1, readingID)
                    guard try st.step(context) else { throw .notHeldForValue(id: readingID, reason: "does not exist") }
                    return (st.text(0), st.optionalText(1))
                }
                guard held == reason.rawValue else {
                    throw .notHeldForValue(id: readingID, reason: held.map { "is held for '\($0)', not '\(reason.rawValue)'" }
                                           ?? "is not held (it was sent, or is waiting to be sent)")
                }
                // A row stored before schema v8 has its value hold only in the outbox.
                try db.withStatement(
                    "UPDATE readings SET value_released_at_ms = ?, value_hold = COALESCE(value_hold, ?) WHERE id = ?", context: context
                ) { (st: Statement) throws(StoreError) in
                    try st.bind(1, atMillis)
                    try st.bind(2, reason.rawValue)
                    try st.bind(3, readingID)
                    _ = try st.step(context)
                }
                let outcome = try releaseRows(db, reasons: [reason.rawValue], readingID: readingID, patients: patients,
                                              atMillis: atMillis, context: context)
                try db.audit(AuditEntry(atMillis: atMillis, actor: actor, action: "release-value", deviceSerial: serial,
                                        oldPatientID: nil, newPatientID: nil,
                                        detail: "reading \(readingID) held \(reason.rawValue), checked: \(note)"
                                            + (outcome.released == 1 ? "" : " (still held for its patient)")),
                             context: context)
                return outcome.released == 1
            }
        }
    }

    /// Readings held for their value, oldest first.
    public func heldValues(limit: Int = 200) throws(StoreError) -> [HeldValue] {
        let context = "listing readings held for their value"
        return try locked { (db: Connection) throws(StoreError) -> [HeldValue] in
            try db.withStatement("""
                SELECT r.id, r.device_serial, r.kind, r.device_time, o.held_reason, r.value, r.unit
                FROM outbox o JOIN readings r ON r.id = o.reading_id
                WHERE o.held_reason IN (?, ?) ORDER BY r.id LIMIT ?
                """, context: context) { (st: Statement) throws(StoreError) -> [HeldValue] in
                for (i, reason) in Self.valueHolds.enumerated() { try st.bind(Int32(i + 1), reason) }
                try st.bind(Int32(Self.valueHolds.count + 1), Int64(max(0, limit)))
                var out: [HeldValue] = []
                while try st.step(context) {
                    let id = st.int64(0)
                    guard let kind = ObservationKind(rawValue: st.text(2)) else {
                        throw .unreadableRow(id: id, column: "kind", value: st.text(2))
                    }
                    guard let time = LocalDateTime(iso: st.text(3)) else {
                        throw .unreadableRow(id: id, column: "device_time", value: st.text(3))
                    }
                    out.append(HeldValue(id: id, deviceSerial: st.text(1), kind: kind, deviceTime: time, value: st.text(5),
                                         unit: st.text(6), reason: st.text(4)))
                }
                return out
            }
        }
    }
}
