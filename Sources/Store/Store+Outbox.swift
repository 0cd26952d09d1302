extension Store {
    /// Up to `limit` queued readings whose next attempt is due at `nowMillis`, oldest first.
    public func dueOutbox(limit: Int, nowMillis: Int64) throws(StoreError) -> [StoredReading] {
        try queuedReadings(where: "o.held_reason IS NULL AND o.next_attempt_at_ms <= ?", orderBy: "r.id",
                           limit: limit, nowMillis: nowMillis)
    }

    /// Outbox rows joined to their readings: `condition` has one `?`, bound to `nowMillis`.
    func queuedReadings(where condition: String, orderBy order: String, limit: Int,
                        nowMillis: Int64) throws(StoreError) -> [StoredReading] {
        let context = "reading the outbox"
        return try locked { (db: Connection) throws(StoreError) -> [StoredReading] in
            try db.withStatement("""
                SELECT \(Self.readingColumns), o.attempts, o.batch_limit
                FROM outbox o JOIN readings r ON r.id = o.reading_id
                WHERE \(condition)
                ORDER BY \(order)
                LIMIT ?
                """, context: context) { (st: Statement) throws(StoreError) -> [StoredReading] in
                try st.bind(1, nowMillis)
                try st.bind(2, Int64(max(0, limit)))
                var rows: [StoredReading] = []
                while try st.step(context) {
                    rows.append(try Self.storedReadingFromRow(st, attemptsColumn: Self.firstExtraColumn,
                                                              batchLimitColumn: Self.firstExtraColumn + 1))
                }
                return rows
            }
        }
    }

    /// Records that the data center acknowledged readings `ids`: stamps them delivered and
    /// removes them from the outbox, in one transaction.
    public func markDelivered(_ ids: [Int64], atMillis: Int64) throws(StoreError) {
        guard !ids.isEmpty else { return }
        let context = "marking \(ids.count) readings delivered"
        try locked { (db: Connection) throws(StoreError) in
            try db.transaction(context) { () throws(StoreError) in
                for id in ids {
                    try stampDelivered(db, id, atMillis: atMillis, context: context)
                }
            }
        }
    }

    /// Records a failed delivery of readings `ids`: counts the attempt, keeps `error` and
    /// schedules the next attempt. The readings stay in the outbox.
    public func deferDelivery(_ ids: [Int64], error: String, nextAttemptAtMillis: Int64) throws(StoreError) {
        guard !ids.isEmpty else { return }
        let context = "rescheduling \(ids.count) readings"
        try locked { (db: Connection) throws(StoreError) in
            try db.transaction(context) { () throws(StoreError) in
                for id in ids {
                    try db.withStatement("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at_ms = ?
                        WHERE reading_id = ?
                        """, context: context) { (st: Statement) throws(StoreError) in
                        try st.bind(1, error)
                        try st.bind(2, nextAttemptAtMillis)
                        try st.bind(3, id)
                        _ = try st.step(context)
                    }
                }
            }
        }
    }

    /// The earliest time any queued reading is due, or nil when the outbox is empty.
    public func nextAttemptAtMillis() throws(StoreError) -> Int64? {
        let context = "reading the outbox schedule"
        return try locked { (db: Connection) throws(StoreError) -> Int64? in
            try db.withStatement("SELECT MIN(next_attempt_at_ms) FROM outbox WHERE held_reason IS NULL", context: context) {
                (st: Statement) throws(StoreError) -> Int64? in
                try st.step(context) ? st.optionalInt64(0) : nil
            }
        }
    }

    /// Counts of stored, pending and delivered readings.
    public func stats() throws(StoreError) -> StoreStats {
        let context = "counting readings"
        return try locked { (db: Connection) throws(StoreError) -> StoreStats in
            try db.withStatement("""
                SELECT (SELECT COUNT(*) FROM readings),
                       (SELECT COUNT(*) FROM outbox WHERE held_reason IS NULL),
                       (SELECT COUNT(*) FROM readings WHERE delivered_at_ms IS NOT NULL),
                       (SELECT MIN(r.received_at_ms) FROM outbox o JOIN readings r ON r.id = o.reading_id
                        WHERE o.held_reason IS NULL)
                """, context: context) { (st: Statement) throws(StoreError) -> StoreStats in
                guard try st.step(context) else { return StoreStats(readings: 0, pending: 0, delivered: 0, oldestPendingReceivedAtMillis: nil) }
                return StoreStats(readings: Int(st.int64(0)), pending: Int(st.int64(1)), delivered: Int(st.int64(2)),
                                  oldestPendingReceivedAtMillis: st.optionalInt64(3))
            }
        }
    }
}
