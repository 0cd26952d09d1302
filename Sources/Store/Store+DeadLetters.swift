extension Store {
    /// Dead letters, oldest first; dropped ones only when `includeDropped`.
    public func deadLetters(includeDropped: Bool = false) throws(StoreError) -> [DeadLetter] {
        try selectDeadLetters(where: includeDropped ? "1" : "d.dropped_at_ms IS NULL", id: nil)
    }

    /// The dead letter of reading `id` (dropped or not), or nil.
    public func deadLetter(id: Int64) throws(StoreError) -> DeadLetter? {
        try selectDeadLetters(where: "d.reading_id = ?", id: id).first
    }

    private func selectDeadLetters(where condition: String, id: Int64?) throws(StoreError) -> [DeadLetter] {
        let context = "reading dead letters"
        return try locked { (db: Connection) throws(StoreError) -> [DeadLetter] in
            let first = Self.firstExtraColumn
            return try db.withStatement("""
                SELECT \(Self.readingColumns), d.attempts, d.batch_sequence, d.http_status, d.reason, d.response,
                       d.dead_at_ms, d.dropped_at_ms, d.drop_reason
                FROM dead_letters d JOIN readings r ON r.id = d.reading_id
                WHERE \(condition) ORDER BY d.reading_id
                """, context: context) { (st: Statement) throws(StoreError) -> [DeadLetter] in
                if let id { try st.bind(1, id) }
                var out: [DeadLetter] = []
                while try st.step(context) {
                    let reading = try Self.storedReadingFromRow(st, attemptsColumn: first, batchLimitColumn: nil)
                    out.append(DeadLetter(reading: reading, batchSequence: st.optionalInt64(first + 1),
                                          httpStatus: st.optionalInt64(first + 2).map { Int($0) }, reason: st.text(first + 3),
                                          response: st.optionalText(first + 4), attempts: Int(st.int64(first)),
                                          deadAtMillis: st.int64(first + 5), droppedAtMillis: st.optionalInt64(first + 6),
                                          dropReason: st.optionalText(first + 7)))
                }
                return out
            }
        }
    }

    /// Puts dead letter `id` back into the outbox (attempts reset, due now); the uplink sends
    /// it at its next wake. Throws `.noSuchDeadLetter` when there is no live dead letter `id`.
    public func retryDeadLetter(id: Int64) throws(StoreError) {
        let context = "retrying dead letter \(id)"
        try locked { (db: Connection) throws(StoreError) in
            try db.transaction(context) { () throws(StoreError) in
                guard try requeue(db, where: "reading_id = ? AND dropped_at_ms IS NULL", id: id, context: context) == 1 else {
                    throw .noSuchDeadLetter(id: id)
                }
            }
        }
    }

    /// Puts every live (not dropped) dead letter back into the outbox; returns how many.
    public func retryAllDeadLetters() throws(StoreError) -> Int {
        let context = "retrying every dead letter"
        return try locked { (db: Connection) throws(StoreError) -> Int in
            try db.transaction(context) { () throws(StoreError) -> Int in
                try requeue(db, where: "dropped_at_ms IS NULL", id: nil, context: context)
            }
        }
    }

    private func requeue(_ db: Connection, where condition: String, id: Int64?, context: String) throws(StoreError) -> Int {
        try db.withStatement(
            "INSERT INTO outbox(reading_id) SELECT reading_id FROM dead_letters WHERE \(condition)", context: context
        ) { (st: Statement) throws(StoreError) in
            if let id { try st.bind(1, id) }
            _ = try st.step(context)
        }
        let moved = db.changes
        try db.withStatement("DELETE FROM dead_letters WHERE \(condition)", context: context) { (st: Statement) throws(StoreError) in
            if let id { try st.bind(1, id) }
            _ = try st.step(context)
        }
        return moved
    }

    /// Marks dead letter `id` dropped with `reason`: it stays in the store for the record and is
    /// never sent. Throws `.noSuchDeadLetter` when there is no live dead letter `id`.
    public func dropDeadLetter(id: Int64, reason: String, atMillis: Int64) throws(StoreError) {
        let context = "dropping dead letter \(id)"
        try locked { (db: Connection) throws(StoreError) in
            try db.withStatement("""
                UPDATE dead_letters SET dropped_at_ms = ?, drop_reason = ? WHERE reading_id = ? AND dropped_at_ms IS NULL
                """, context: context) { (st: Statement) throws(StoreError) in
                try st.bind(1, atMillis)
                try st.bind(2, reason)
                try st.bind(3, id)
                _ = try st.step(context)
            }
            guard db.changes == 1 else { throw .noSuchDeadLetter(id: id) }
        }
    }
}
