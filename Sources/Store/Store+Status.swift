extension Store {
    /// Counts and times describing the store, read in one statement.
    public func status() throws(StoreError) -> StoreStatus {
        let version = schemaVersion
        return try locked { (db: Connection) throws(StoreError) -> StoreStatus in try db.status(schemaVersion: version) }
    }
}

extension Connection {
    /// The `StoreStatus` query, shared by `Store` and `StoreReader`.
    func status(schemaVersion: Int) throws(StoreError) -> StoreStatus {
        let context = "reading the store's status"
        return try withStatement("""
            SELECT (SELECT COUNT(*) FROM readings),
                   (SELECT COUNT(*) FROM outbox WHERE held_reason IS NULL),
                   (SELECT COUNT(*) FROM readings WHERE delivered_at_ms IS NOT NULL),
                   (SELECT MIN(r.received_at_ms) FROM outbox o JOIN readings r ON r.id = o.reading_id
                    WHERE o.held_reason IS NULL),
                   (SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL),
                   (SELECT MAX(delivered_at_ms) FROM readings),
                   (SELECT COUNT(*) FROM sessions),
                   (SELECT MAX(started_at_ms) FROM sessions),
                   (SELECT COUNT(*) FROM readings WHERE \(Store.controlCondition))
            """, context: context) { (st: Statement) throws(StoreError) -> StoreStatus in
            guard try st.step(context) else {
                throw .sqlite(code: 1, message: "the status query returned no row", context: context)
            }
            return StoreStatus(readings: Int(st.int64(0)), pending: Int(st.int64(1)), delivered: Int(st.int64(2)),
                               oldestPendingReceivedAtMillis: st.optionalInt64(3), pendingWithError: Int(st.int64(4)),
                               lastDeliveredAtMillis: st.optionalInt64(5),
                               sessions: Int(st.int64(6)), lastSessionStartedAtMillis: st.optionalInt64(7),
                               schemaVersion: schemaVersion, controlResults: Int(st.int64(8)),
                               heldReadings: try heldReadings())
        }
    }

    /// Queued readings held back for an implausible device time, counted per `held_reason`.
    func heldReadings() throws(StoreError) -> [String: Int] {
        let context = "counting held readings"
        return try withStatement(
            "SELECT held_reason, COUNT(*) FROM outbox WHERE held_reason IS NOT NULL GROUP BY held_reason", context: context
        ) { (st: Statement) throws(StoreError) -> [String: Int] in
            var counts: [String: Int] = [:]
            while try st.step(context) { counts[st.text(0)] = Int(st.int64(1)) }
            return counts
        }
    }
}
