extension Store {
    /// Up to `limit` queued readings due at `nowMillis` that are in no batch yet, oldest first.
    public func batchCandidates(limit: Int, nowMillis: Int64) throws(StoreError) -> [StoredReading] {
        // `+o.next_attempt_at_ms` keeps SQLite walking the outbox in reading order (its primary
        // key) and stopping at `limit`, instead of sorting every queued row.
        try queuedReadings(where: "o.batch_sequence IS NULL AND o.held_reason IS NULL AND +o.next_attempt_at_ms <= ?",
                           orderBy: "o.reading_id", limit: limit, nowMillis: nowMillis)
    }

    /// Records a new batch in one transaction: gives it the next sequence number and the
    /// previous batch's body hash, asks `sign(sequence, previous)` for its signature, and ties
    /// its readings to it. Only after this commits may the batch be sent.
    public func createBatch(_ draft: BatchDraft, createdAtMillis: Int64,
                            sign: (_ sequence: Int64, _ previousSHA256: String) -> String) throws(StoreError) -> OutboxBatch {
        let context = "recording a batch of \(draft.readingIDs.count) readings"
        return try locked { (db: Connection) throws(StoreError) -> OutboxBatch in
            try db.transaction(context) { () throws(StoreError) -> OutboxBatch in
                let head = try db.withStatement(
                    "SELECT sequence, body_sha256 FROM batches ORDER BY sequence DESC LIMIT 1", context: context
                ) { (st: Statement) throws(StoreError) -> (Int64, String)? in
                    try st.step(context) ? (st.int64(0), st.text(1)) : nil
                }
                let sequence = (head?.0 ?? 0) + 1
                let previous = head?.1 ?? OutboxBatch.chainStart
                let signature = sign(sequence, previous)
                try db.withStatement("""
                    INSERT INTO batches(sequence, gateway_id, previous_sha256, body_sha256, signature, body, manifest,
                                        reading_count, created_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, context: context) { (st: Statement) throws(StoreError) in
                    try st.bind(1, sequence)
                    try st.bind(2, draft.gatewayID)
                    try st.bind(3, previous)
                    try st.bind(4, draft.bodySHA256)
                    try st.bind(5, signature)
                    try st.bind(6, blob: draft.body)
                    try st.bind(7, draft.manifest)
                    try st.bind(8, Int64(draft.readingIDs.count))
                    try st.bind(9, createdAtMillis)
                    _ = try st.step(context)
                }
                for id in draft.readingIDs {
                    try db.withStatement(
                        "UPDATE outbox SET batch_sequence = ? WHERE reading_id = ? AND batch_sequence IS NULL", context: context
                    ) { (st: Statement) throws(StoreError) in
                        try st.bind(1, sequence)
                        try st.bind(2, id)
                        _ = try st.step(context)
                    }
                    guard db.changes == 1 else {
                        throw .sqlite(code: 19, message: "reading \(id) is not queued or already in a batch", context: context)
                    }
                }
                return OutboxBatch(sequence: sequence, gatewayID: draft.gatewayID, previousSHA256: previous,
                                   bodySHA256: draft.bodySHA256, signature: signature, body: draft.body,
                                   manifest: draft.manifest, readingCount: draft.readingIDs.count, attempts: 0,
                                   nextAttemptAtMillis: 0, createdAtMillis: createdAtMillis, lastError: nil)
            }
        }
    }

    /// When the uplink next has something to send, Unix ms: the pending batch's next attempt
    /// when there is one (nothing else goes before it), else the earliest due unbatched reading;
    /// nil when the outbox is empty.
    public func nextDueAtMillis() throws(StoreError) -> Int64? {
        let context = "reading the outbox schedule"
        return try locked { (db: Connection) throws(StoreError) -> Int64? in
            try db.withStatement("""
                SELECT COALESCE((SELECT MIN(next_attempt_at_ms) FROM batches WHERE state = 'pending'),
                                (SELECT MIN(next_attempt_at_ms) FROM outbox WHERE batch_sequence IS NULL AND held_reason IS NULL))
                """, context: context) { (st: Statement) throws(StoreError) -> Int64? in
                try st.step(context) ? st.optionalInt64(0) : nil
            }
        }
    }

    /// The oldest batch not yet settled by the data center (normally the only one), if any.
    public func pendingBatch() throws(StoreError) -> OutboxBatch? {
        let context = "reading the pending batch"
        return try locked { (db: Connection) throws(StoreError) -> OutboxBatch? in
            try db.withStatement("""
                SELECT sequence, gateway_id, previous_sha256, body_sha256, signature, body, manifest, reading_count,
                       attempts, next_attempt_at_ms, created_at_ms, last_error
                FROM batches WHERE state = 'pending' ORDER BY sequence LIMIT 1
                """, context: context) { (st: Statement) throws(StoreError) -> OutboxBatch? in
                guard try st.step(context) else { return nil }
                return OutboxBatch(sequence: st.int64(0), gatewayID: st.text(1), previousSHA256: st.text(2),
                                   bodySHA256: st.text(3), signature: st.text(4), body: st.blob(5),
                                   manifest: st.text(6), readingCount: Int(st.int64(7)), attempts: Int(st.int64(8)),
                                   nextAttemptAtMillis: st.int64(9), createdAtMillis: st.int64(10),
                                   lastError: st.optionalText(11))
            }
        }
    }

    /// The readings tied to batch `sequence`, in reading order.
    public func readings(inBatch sequence: Int64) throws(StoreError) -> [StoredReading] {
        let context = "reading the readings of batch \(sequence)"
        return try locked { (db: Connection) throws(StoreError) -> [StoredReading] in
            try db.withStatement("""
                SELECT \(Self.readingColumns), o.attempts, o.batch_limit
                FROM outbox o JOIN readings r ON r.id = o.reading_id
                WHERE o.batch_sequence = ? ORDER BY o.reading_id
                """, context: context) { (st: Statement) throws(StoreError) -> [StoredReading] in
                try st.bind(1, sequence)
                var rows: [StoredReading] = []
                while try st.step(context) {
                    rows.append(try Self.storedReadingFromRow(st, attemptsColumn: Self.firstExtraColumn,
                                                              batchLimitColumn: Self.firstExtraColumn + 1))
                }
                return rows
            }
        }
    }

    /// Records a failed send of batch `sequence` (no usable answer, or an answer that says
    /// "later"): it stays pending, to be sent again identically at `nextAttemptAtMillis`. Its
    /// readings count the attempt and keep the error.
    public func deferBatch(_ sequence: Int64, error: String, nextAttemptAtMillis: Int64) throws(StoreError) {
        let context = "rescheduling batch \(sequence)"
        try locked { (db: Connection) throws(StoreError) in
            try db.transaction(context) { () throws(StoreError) in
                try db.withStatement("""
                    UPDATE batches SET attempts = attempts + 1, last_error = ?, next_attempt_at_ms = ?
                    WHERE sequence = ? AND state = 'pending'
                    """, context: context) { (st: Statement) throws(StoreError) in
                    try st.bind(1, error)
                    try st.bind(2, nextAttemptAtMillis)
                    try st.bind(3, sequence)
                    _ = try st.step(context)
                }
                try db.withStatement("""
                    UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at_ms = ?
                    WHERE batch_sequence = ?
                    """, context: context) { (st: Statement) throws(StoreError) in
                    try st.bind(1, error)
                    try st.bind(2, nextAttemptAtMillis)
                    try st.bind(3, sequence)
                    _ = try st.step(context)
                }
            }
        }
    }

    /// Records the data center's entry-by-entry answer to batch `sequence`, in one transaction:
    /// `delivered` readings are stamped and leave the outbox, `deferred` ones go back to the
    /// outbox for a later batch, `deadLetters` move to the dead-letter table; the batch is
    /// settled and its body dropped.
    public func settleBatch(_ sequence: Int64, status: Int, delivered: [Int64], deferred: [BatchDeferral],
                            deadLetters: [DeadLetterDraft], atMillis: Int64) throws(StoreError) {
        let context = "recording the answer to batch \(sequence)"
        try locked { (db: Connection) throws(StoreError) in
            try db.transaction(context) { () throws(StoreError) in
                for id in delivered {
                    try stampDelivered(db, id, atMillis: atMillis, context: context)
                }
                for deferral in deferred {
                    try db.withStatement("""
                        UPDATE outbox SET batch_sequence = NULL, batch_limit = NULL, attempts = attempts + 1,
                                          last_error = ?, next_attempt_at_ms = ?
                        WHERE reading_id = ?
                        """, context: context) { (st: Statement) throws(StoreError) in
                        try st.bind(1, deferral.error)
                        try st.bind(2, deferral.nextAttemptAtMillis)
                        try st.bind(3, deferral.readingID)
                        _ = try st.step(context)
                    }
                }
                for letter in deadLetters {
                    try moveToDeadLetters(db, letter, batch: sequence, atMillis: atMillis, context: context)
                }
                try closeBatch(db, sequence, state: "acknowledged", status: status, error: nil, atMillis: atMillis,
                               context: context)
            }
        }
    }

    /// Records that the data center refused batch `sequence` as a whole (413 or another 4xx
    /// that names no entry): a batch of several readings is split — they go back to the outbox
    /// and the next batches hold at most half as many each; a batch of one becomes a dead letter.
    public func refuseBatch(_ sequence: Int64, status: Int, reason: String, response: String?,
                            atMillis: Int64) throws(StoreError) -> BatchRefusal {
        let context = "recording that batch \(sequence) was refused"
        return try locked { (db: Connection) throws(StoreError) -> BatchRefusal in
            try db.transaction(context) { () throws(StoreError) -> BatchRefusal in
                let ids = try db.withStatement(
                    "SELECT reading_id FROM outbox WHERE batch_sequence = ? ORDER BY reading_id", context: context
                ) { (st: Statement) throws(StoreError) -> [Int64] in
                    try st.bind(1, sequence)
                    var ids: [Int64] = []
                    while try st.step(context) { ids.append(st.int64(0)) }
                    return ids
                }
                let outcome: BatchRefusal
                if ids.count == 1 {
                    try moveToDeadLetters(db, DeadLetterDraft(readingID: ids[0], httpStatus: status, reason: reason,
                                                              response: response),
                                          batch: sequence, atMillis: atMillis, context: context)
                    outcome = .deadLettered(readingID: ids[0])
                } else {
                    let limit = (ids.count + 1) / 2
                    try db.withStatement("""
                        UPDATE outbox SET batch_sequence = NULL, batch_limit = ?, last_error = ?
                        WHERE batch_sequence = ?
                        """, context: context) { (st: Statement) throws(StoreError) in
                        try st.bind(1, Int64(max(1, limit)))
                        try st.bind(2, reason)
                        try st.bind(3, sequence)
                        _ = try st.step(context)
                    }
                    outcome = .split(limit: max(1, limit))
                }
                try closeBatch(db, sequence, state: "refused", status: status, error: reason, atMillis: atMillis,
                               context: context)
                return outcome
            }
        }
    }

    /// Stamps reading `id` delivered (once) and removes its outbox row; inside a transaction.
    func stampDelivered(_ db: Connection, _ id: Int64, atMillis: Int64, context: String) throws(StoreError) {
        try db.withStatement(
            "UPDATE readings SET delivered_at_ms = ? WHERE id = ? AND delivered_at_ms IS NULL", context: context
        ) { (st: Statement) throws(StoreError) in
            try st.bind(1, atMillis)
            try st.bind(2, id)
            _ = try st.step(context)
        }
        try deleteOutboxRow(db, id, context: context)
    }

    private func deleteOutboxRow(_ db: Connection, _ id: Int64, context: String) throws(StoreError) {
        try db.withStatement("DELETE FROM outbox WHERE reading_id = ?", context: context) { (st: Statement) throws(StoreError) in
            try st.bind(1, id)
            _ = try st.step(context)
        }
    }

    private func moveToDeadLetters(_ db: Connection, _ letter: DeadLetterDraft, batch: Int64?, atMillis: Int64,
                                   context: String) throws(StoreError) {
        try db.withStatement("""
            INSERT OR REPLACE INTO dead_letters(reading_id, batch_sequence, http_status, reason, response, attempts, dead_at_ms)
            VALUES (?, ?, ?, ?, ?, COALESCE((SELECT attempts + 1 FROM outbox WHERE reading_id = ?), 1), ?)
            """, context: context) { (st: Statement) throws(StoreError) in
            try st.bind(1, letter.readingID)
            try st.bind(2, batch)
            try st.bind(3, letter.httpStatus.map(Int64.init))
            try st.bind(4, letter.reason)
            try st.bind(5, letter.response)
            try st.bind(6, letter.readingID)
            try st.bind(7, atMillis)
            _ = try st.step(context)
        }
        try deleteOutboxRow(db, letter.readingID, context: context)
    }

    private func closeBatch(_ db: Connection, _ sequence: Int64, state: String, status: Int, error: String?,
                            atMillis: Int64, context: String) throws(StoreError) {
        try db.withStatement("""
            UPDATE batches SET state = ?, response_status = ?, settled_at_ms = ?, body = NULL,
                               last_error = COALESCE(?, last_error)
            WHERE sequence = ?
            """, context: context) { (st: Statement) throws(StoreError) in
            try st.bind(1, state)
            try st.bind(2, Int64(status))
            try st.bind(3, atMillis)
            try st.bind(4, error)
            try st.bind(5, sequence)
            _ = try st.step(context)
        }
    }
}
