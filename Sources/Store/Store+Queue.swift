extension Store {
    /// The delivery queue at a glance.
    public func queueSummary() throws(StoreError) -> QueueSummary {
        let context = "summarising the queue"
        return try locked { (db: Connection) throws(StoreError) -> QueueSummary in
            try db.transactionRead(context) { () throws(StoreError) -> QueueSummary in
                let counts = try db.withStatement("""
                    SELECT (SELECT COUNT(*) FROM readings),
                           (SELECT COUNT(*) FROM outbox WHERE held_reason IS NULL),
                           (SELECT COUNT(*) FROM readings WHERE delivered_at_ms IS NOT NULL),
                           (SELECT MIN(r.received_at_ms) FROM outbox o JOIN readings r ON r.id = o.reading_id
                            WHERE o.held_reason IS NULL),
                           (SELECT COUNT(*) FROM dead_letters WHERE dropped_at_ms IS NULL),
                           (SELECT COUNT(*) FROM dead_letters WHERE dropped_at_ms IS NOT NULL),
                           (SELECT COALESCE(MAX(sequence), 0) FROM batches),
                           (SELECT COUNT(*) FROM readings WHERE \(Store.controlCondition)),
                           (SELECT COUNT(*) FROM record_problems)
                    """, context: context) { (st: Statement) throws(StoreError) -> [Int64?] in
                    guard try st.step(context) else { return [] }
                    return (0..<9).map { st.optionalInt64(Int32($0)) }
                }
                let batch = try db.withStatement("""
                    SELECT sequence, attempts, next_attempt_at_ms, last_error FROM batches
                    WHERE state = 'pending' ORDER BY sequence LIMIT 1
                    """, context: context) { (st: Statement) throws(StoreError) -> (Int64, Int, Int64, String?)? in
                    try st.step(context) ? (st.int64(0), Int(st.int64(1)), st.int64(2), st.optionalText(3)) : nil
                }
                let queuedError = try db.withStatement("""
                    SELECT last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY next_attempt_at_ms DESC LIMIT 1
                    """, context: context) { (st: Statement) throws(StoreError) -> String? in
                    try st.step(context) ? st.optionalText(0) : nil
                }
                func count(_ i: Int) -> Int { Int(counts.count > i ? counts[i] ?? 0 : 0) }
                return QueueSummary(
                    readings: count(0), pending: count(1), delivered: count(2),
                    oldestPendingReceivedAtMillis: counts.count > 3 ? counts[3] : nil,
                    lastError: batch?.3 ?? queuedError, deadLetters: count(4), droppedDeadLetters: count(5),
                    pendingBatch: batch.map { ($0.0, $0.1, $0.2) }, lastSequence: Int64(count(6)),
                    databaseBytes: try usedBytes(db), controlResults: count(7),
                    heldReadings: try db.heldReadings(), recordProblems: count(8))
            }
        }
    }
}
