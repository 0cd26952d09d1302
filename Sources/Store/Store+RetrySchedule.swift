extension Store {
    /// Makes every retry scheduled by an earlier run of the uplink due at `nowMillis` at the
    /// latest: the pending batch and the readings deferred entry by entry. The back-off of a
    /// past outage must not carry over a restart (a gateway restarted after the center came
    /// back would otherwise sit idle for minutes); the attempt counts, which a technician reads
    /// in `pocgate queue`, stay. Returns how many rows were brought forward.
    @discardableResult
    public func restartRetrySchedule(nowMillis: Int64) throws(StoreError) -> Int {
        let context = "restarting the upload retry schedule"
        return try locked { (db: Connection) throws(StoreError) -> Int in
            var changed = 0
            try db.transaction(context) { () throws(StoreError) in
                for table in ["batches", "outbox"] {
                    let filter = table == "batches" ? "state = 'pending'" : "held_reason IS NULL"
                    changed += try db.withStatement("""
                        UPDATE \(table) SET next_attempt_at_ms = ? WHERE \(filter) AND next_attempt_at_ms > ?
                        """, context: context) { (st: Statement) throws(StoreError) -> Int in
                        try st.bind(1, nowMillis)
                        try st.bind(2, nowMillis)
                        _ = try st.step(context)
                        return db.changes
                    }
                }
            }
            return changed
        }
    }

    /// Records that the data center asked for batch `sequence` later (`Retry-After` on a 429
    /// or 503): it stays pending, to be sent again identically at `nextAttemptAtMillis`, and
    /// keeps `error`, but the answer is not a failure, so no attempt is counted.
    public func postponeBatch(_ sequence: Int64, error: String, nextAttemptAtMillis: Int64) throws(StoreError) {
        let context = "postponing batch \(sequence)"
        try locked { (db: Connection) throws(StoreError) in
            try db.transaction(context) { () throws(StoreError) in
                for table in ["batches", "outbox"] {
                    let filter = table == "batches" ? "sequence = ? AND state = 'pending'" : "batch_sequence = ?"
                    try db.withStatement("""
                        UPDATE \(table) SET last_error = ?, next_attempt_at_ms = ? WHERE \(filter)
                        """, context: context) { (st: Statement) throws(StoreError) in
                        try st.bind(1, error)
                        try st.bind(2, nextAttemptAtMillis)
                        try st.bind(3, sequence)
                        _ = try st.step(context)
                    }
                }
            }
        }
    }
}
