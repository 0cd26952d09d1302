extension Store {
    /// Bytes held by live pages: the file's pages minus the free list (space freed by pruning
    /// is reused before the file grows).
    func usedBytes(_ db: Connection) throws(StoreError) -> Int64 {
        let context = "measuring the database"
        func pragma(_ name: String) throws(StoreError) -> Int64 {
            try db.withStatement("PRAGMA \(name)", context: context) { (st: Statement) throws(StoreError) -> Int64 in
                try st.step(context) ? st.int64(0) : 0
            }
        }
        let pages = try pragma("page_count")
        let free = try pragma("freelist_count")
        return (pages - free) * (try pragma("page_size"))
    }

    /// Before a write that adds readings: at the cap, prunes delivered readings; when that frees
    /// nothing below the cap, refuses with `StoreError.full`.
    func ensureRoom(_ db: Connection) throws(StoreError) {
        guard let limit = limits.maxBytes else { return }
        var used = try usedBytes(db)
        guard used >= limit else { return }
        if try prune(db) > 0 { used = try usedBytes(db) }
        guard used < limit else { throw .full(usedBytes: used, limitBytes: limit) }
    }

    /// Deletes delivered readings, keeping only their identity (device serial and record key) so
    /// a later dump of the same device memory is still recognised; also sessions no reading
    /// refers to any more and settled batches except the newest (the chain's head). Undelivered
    /// readings, dead letters and their sessions are kept. Returns how many readings it deleted.
    @discardableResult
    func prune(_ db: Connection) throws(StoreError) -> Int {
        let context = "pruning delivered readings to make room"
        return try db.transaction(context) { () throws(StoreError) -> Int in
            try db.execute("""
                INSERT OR IGNORE INTO pruned_keys(device_serial, record_key)
                    SELECT device_serial, record_key FROM readings
                    WHERE delivered_at_ms IS NOT NULL
                      AND id NOT IN (SELECT reading_id FROM outbox)
                      AND id NOT IN (SELECT reading_id FROM dead_letters);
                DELETE FROM readings
                    WHERE delivered_at_ms IS NOT NULL
                      AND id NOT IN (SELECT reading_id FROM outbox)
                      AND id NOT IN (SELECT reading_id FROM dead_letters);
                """, context: context)
            let deleted = db.changes
            try db.execute("""
                DELETE FROM sessions WHERE ended_at_ms IS NOT NULL
                    AND id NOT IN (SELECT session_id FROM readings WHERE session_id IS NOT NULL);
                DELETE FROM batches WHERE state <> 'pending' AND sequence < (SELECT MAX(sequence) FROM batches);
                """, context: context)
            return deleted
        }
    }

    /// Prunes delivered readings now (see `prune`); returns how many were deleted.
    public func pruneDelivered() throws(StoreError) -> Int {
        try locked { (db: Connection) throws(StoreError) -> Int in try prune(db) }
    }

    /// Bytes held by live database pages.
    public func databaseBytes() throws(StoreError) -> Int64 {
        try locked { (db: Connection) throws(StoreError) -> Int64 in try usedBytes(db) }
    }
}
