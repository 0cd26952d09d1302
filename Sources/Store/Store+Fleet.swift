extension Store {
    /// The store's part of the heartbeat and of the metrics file (`FleetReport`), read under
    /// one lock. Every query is one pass over its table (the per-meter ones use the readings
    /// index on the serial), and the meters are cut to `FleetReport.maximumDevices`. Without
    /// `counts` (the heartbeat alone needs none) the pass over every reading and session for
    /// `readingCounts` and `sessionOutcomes` is skipped and both are empty.
    public func fleetReport(counts: Bool = true) throws(StoreError) -> FleetReport {
        let limit = limits.maxBytes
        return try locked { (db: Connection) throws(StoreError) -> FleetReport in
            let context = "reading the gateway's fleet report"
            let totals = try db.withStatement("""
                SELECT (SELECT COUNT(*) FROM outbox WHERE held_reason IS NULL),
                       (SELECT MIN(r.received_at_ms) FROM outbox o JOIN readings r ON r.id = o.reading_id
                        WHERE o.held_reason IS NULL),
                       (SELECT MAX(delivered_at_ms) FROM readings),
                       (SELECT COUNT(*) FROM outbox WHERE held_reason IS NOT NULL),
                       (SELECT COUNT(*) FROM dead_letters WHERE dropped_at_ms IS NULL),
                       (SELECT COUNT(*) FROM sessions WHERE ended_at_ms IS NOT NULL)
                """, context: context) { (st: Statement) throws(StoreError) -> (Int, Int64?, Int64?, Int, Int, Int) in
                guard try st.step(context) else {
                    throw .sqlite(code: 1, message: "the fleet query returned no row", context: context)
                }
                return (Int(st.int64(0)), st.optionalInt64(1), st.optionalInt64(2), Int(st.int64(3)), Int(st.int64(4)),
                        Int(st.int64(5)))
            }
            return FleetReport(pending: totals.0, oldestPendingReceivedAtMillis: totals.1, lastDeliveredAtMillis: totals.2,
                               held: totals.3, deadLetters: totals.4, usedBytes: try usedBytes(db), limitBytes: limit,
                               endedSessions: totals.5, devices: try db.fleetDevices(),
                               readingCounts: counts ? try db.readingCounts() : [],
                               sessionOutcomes: counts ? try db.sessionOutcomes() : [:])
        }
    }
}

extension Connection {
    /// Each identified meter's most recent session (SQLite takes the bare columns of a
    /// `MAX()` aggregate from the row holding the maximum), then its newest reading: when it
    /// was received and the clock offset measured for its session (nil when the clock was not
    /// read).
    func fleetDevices() throws(StoreError) -> [FleetDevice] {
        let context = "listing the meters seen"
        var devices = try withStatement("""
            SELECT MAX(id), device_serial, device_model, profile_id, started_at_ms, ended_at_ms, outcome
            FROM sessions WHERE device_serial IS NOT NULL AND device_serial <> ''
            GROUP BY device_serial ORDER BY started_at_ms DESC, device_serial LIMIT ?
            """, context: context) { (st: Statement) throws(StoreError) -> [FleetDevice] in
            try st.bind(1, Int64(FleetReport.maximumDevices))
            var out: [FleetDevice] = []
            while try st.step(context) {
                let ended = st.optionalInt64(5) != nil
                out.append(FleetDevice(serial: st.text(1), model: st.optionalText(2) ?? "", profileID: st.text(3),
                                       lastSessionStartedAtMillis: st.int64(4),
                                       lastSessionOutcome: ended ? String((st.optionalText(6) ?? "ended").prefix(200)) : nil,
                                       lastReadingReceivedAtMillis: nil, clockOffsetSeconds: nil))
            }
            return out
        }
        for index in devices.indices {
            // The newest reading is the highest id (rows are inserted as they arrive): found in the
            // (device_serial, record_key) index alone, without reading the device's rows.
            try withStatement("""
                SELECT received_at_ms, clock_offset_s FROM readings
                WHERE id = (SELECT MAX(id) FROM readings WHERE device_serial = ?)
                """, context: context) { (st: Statement) throws(StoreError) in
                try st.bind(1, devices[index].serial)
                guard try st.step(context) else { return }
                devices[index].lastReadingReceivedAtMillis = st.optionalInt64(0)
                devices[index].clockOffsetSeconds = st.optionalInt64(1)
            }
        }
        return devices
    }

    /// Readings by state, kind and profile (see `FleetReport.ReadingCount.state`).
    func readingCounts() throws(StoreError) -> [FleetReport.ReadingCount] {
        let context = "counting readings by state"
        return try withStatement("""
            SELECT CASE WHEN o.reading_id IS NOT NULL AND o.held_reason IS NOT NULL THEN 'held'
                        WHEN o.reading_id IS NOT NULL THEN 'pending'
                        WHEN d.reading_id IS NOT NULL THEN 'dead'
                        WHEN r.delivered_at_ms IS NOT NULL THEN 'uploaded'
                        ELSE 'local' END AS state,
                   r.kind, r.profile_id, COUNT(*)
            FROM readings r
            LEFT JOIN outbox o ON o.reading_id = r.id
            LEFT JOIN dead_letters d ON d.reading_id = r.id AND d.dropped_at_ms IS NULL
            GROUP BY state, r.kind, r.profile_id ORDER BY state, r.kind, r.profile_id
            """, context: context) { (st: Statement) throws(StoreError) -> [FleetReport.ReadingCount] in
            var out: [FleetReport.ReadingCount] = []
            while try st.step(context) {
                out.append(.init(state: st.text(0), kind: st.text(1), profileID: st.text(2), count: Int(st.int64(3))))
            }
            return out
        }
    }

    /// Sessions by outcome name (`FleetReport.outcomeName`); a session still running counts as `open`.
    func sessionOutcomes() throws(StoreError) -> [String: Int] {
        let context = "counting sessions by outcome"
        return try withStatement("""
            SELECT CASE WHEN ended_at_ms IS NULL THEN 'open' ELSE COALESCE(outcome, 'ended') END, COUNT(*)
            FROM sessions GROUP BY 1
            """, context: context) { (st: Statement) throws(StoreError) -> [String: Int] in
            var out: [String: Int] = [:]
            while try st.step(context) { out[FleetReport.outcomeName(st.text(0)), default: 0] += Int(st.int64(1)) }
            return out
        }
    }
}
