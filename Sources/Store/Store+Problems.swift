extension Store {
    /// Keeps a record the device sent that pocgate could not decode, with its bytes, so it is
    /// never lost and a person can see it (`pocgate queue problems`). The same record (device,
    /// reason, bytes) read again by a later session is kept once; returns whether it was new.
    @discardableResult
    public func keepProblem(sessionID: Int64?, profileID: String, deviceSerial: String, reason: String, raw: [UInt8],
                            atMillis: Int64) throws(StoreError) -> Bool {
        let context = "keeping an undecoded record"
        return try locked { (db: Connection) throws(StoreError) -> Bool in
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
            return db.changes == 1
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
