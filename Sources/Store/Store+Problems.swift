extension Store {
    /// Keeps a record the device sent that pocgate could not decode, with its bytes, so a
    /// person can see it (`pocgate queue problems`). The same record (device, reason, bytes)
    /// read again by a later session is kept once. The store keeps at most
    /// `limits.problemRows` problems and `limits.problemBytes` of their bytes, and none that
    /// would take the room a capped store (`limits.maxBytes`) keeps for readings; past that a
    /// record is not kept, and the answer says how many are.
    @discardableResult
    public func keepProblem(sessionID: Int64?, profileID: String, deviceSerial: String, reason: String, raw: [UInt8],
                            atMillis: Int64) throws(StoreError) -> ProblemKeeping {
        let context = "keeping an undecoded record"
        return try locked { (db: Connection) throws(StoreError) -> ProblemKeeping in
            let known = try db.withStatement("""
                SELECT 1 FROM record_problems WHERE device_serial = ? AND reason = ? AND raw = ?
                """, context: context) { (st: Statement) throws(StoreError) -> Bool in
                try st.bind(1, deviceSerial)
                try st.bind(2, reason)
                try st.bind(3, blob: raw)
                return try st.step(context)
            }
            if known { return .alreadyKept }
            let (rows, bytes) = try db.withStatement("""
                SELECT COUNT(*), CAST(TOTAL(LENGTH(raw)) AS INTEGER) FROM record_problems
                """, context: context) { (st: Statement) throws(StoreError) -> (Int, Int64) in
                try st.step(context) ? (Int(st.int64(0)), st.int64(1)) : (0, 0)
            }
            guard rows < limits.problemRows, bytes + Int64(raw.count) <= limits.problemBytes else {
                return .notKept(.problemLimit, keptRows: rows, keptBytes: bytes)
            }
            // The row and its unique index each hold the bytes, and each may open a page.
            if let cap = limits.maxBytes, try usedBytes(db) + 2 * Int64(raw.count) + 8192 > cap {
                return .notKept(.storeFull, keptRows: rows, keptBytes: bytes)
            }
            try db.withStatement("""
                INSERT OR IGNORE INTO record_problems(session_id, profile_id, device_serial, reason, raw, first_seen_at_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                """, context: context) { (st: Statement) throws(StoreError) in
                try st.bind(1, sessionID)
                try st.bind(2, profileID)
                try st.bind(3, deviceSerial)
                try st.bind(4, reason)
                try st.bind(5, blob: raw)
                try st.bind(6, atMillis)
                _ = try st.step(context)
            }
            return db.changes == 1 ? .kept : .alreadyKept
        }
    }

    /// Deletes the kept problems up to and including `id` (after a person looked at them, so
    /// the store keeps new ones again), with an entry in the audit log. Returns how many.
    @discardableResult
    public func dropProblems(through id: Int64, actor: String, atMillis: Int64) throws(StoreError) -> Int {
        let context = "dropping kept problems"
        return try locked { (db: Connection) throws(StoreError) -> Int in
            try db.transaction(context) { () throws(StoreError) -> Int in
                try db.withStatement("DELETE FROM record_problems WHERE id <= ?", context: context) { (st: Statement) throws(StoreError) in
                    try st.bind(1, id)
                    _ = try st.step(context)
                }
                let dropped = db.changes
                try db.audit(AuditEntry(atMillis: atMillis, actor: actor, action: "drop-problems", deviceSerial: nil,
                                        oldPatientID: nil, newPatientID: nil, detail: "\(dropped) problem(s) through id \(id)"),
                             context: context)
                return dropped
            }
        }
    }

    /// Every kept problem, oldest first.
    public func recordProblems() throws(StoreError) -> [RecordProblem] {
        let context = "listing undecoded records"
        return try locked { (db: Connection) throws(StoreError) -> [RecordProblem] in
            try db.withStatement("""
                SELECT id, session_id, profile_id, device_serial, reason, raw, first_seen_at_ms FROM record_problems ORDER BY id
                """, context: context) { (st: Statement) throws(StoreError) -> [RecordProblem] in
                var out: [RecordProblem] = []
                while try st.step(context) {
                    out.append(RecordProblem(id: st.int64(0), sessionID: st.optionalInt64(1), profileID: st.text(2),
                                             deviceSerial: st.text(3), reason: st.text(4), raw: st.blob(5),
                                             firstSeenAtMillis: st.int64(6)))
                }
                return out
            }
        }
    }
}

/// A record a device sent that pocgate did not decode (unknown model or record type, a value
/// out of range, a line it does not know), kept with its bytes; never uploaded.
public struct RecordProblem: Sendable, Equatable {
    public var id: Int64
    /// The session that first read it.
    public var sessionID: Int64?
    public var profileID: String
    public var deviceSerial: String
    /// Why it was not decoded, as logged (PG-SES-008).
    public var reason: String
    /// The bytes the device sent for it.
    public var raw: [UInt8]
    /// When it was first read, Unix milliseconds.
    public var firstSeenAtMillis: Int64
}

/// What became of an undecoded record offered to the store.
public enum ProblemKeeping: Sendable, Equatable {
    /// Kept as a new problem.
    case kept
    /// The same record (device, reason, bytes) was kept before.
    case alreadyKept
    /// Not kept, and why; with the problems the store holds.
    case notKept(NotKeptReason, keptRows: Int, keptBytes: Int64)

    /// Why the store kept no more problems.
    public enum NotKeptReason: String, Sendable, Equatable {
        /// It holds `StoreLimits.problemRows` problems or `problemBytes` of their bytes.
        case problemLimit = "problem-limit"
        /// The store is at its size cap (`store.max_size_mb`): the room is for readings.
        case storeFull = "store-full"
    }
}
