public import PocGateCore

extension Store {
    /// Records that a device session started on `devnode` with profile `profileID`.
    /// - Returns: the session id to pass to `identifySession`, `insert` and `endSession`.
    public func beginSession(devnode: String, profileID: String, startedAtMillis: Int64) throws(StoreError) -> Int64 {
        let context = "recording the start of a session on \(devnode)"
        return try locked { (db: Connection) throws(StoreError) -> Int64 in
            try db.withStatement(
                "INSERT INTO sessions(devnode, profile_id, started_at_ms) VALUES (?, ?, ?)", context: context
            ) { (st: Statement) throws(StoreError) -> Int64 in
                try st.bind(1, devnode)
                try st.bind(2, profileID)
                try st.bind(3, startedAtMillis)
                _ = try st.step(context)
                return db.lastInsertRowID
            }
        }
    }

    /// Records which device answered in session `id`, and its clock next to the gateway's.
    public func identifySession(_ id: Int64, deviceSerial: String, deviceModel: String,
                                deviceClock: LocalDateTime?, gatewayClockMillis: Int64) throws(StoreError) {
        let context = "recording the device of session \(id)"
        try locked { (db: Connection) throws(StoreError) in
            try db.withStatement("""
                UPDATE sessions SET device_serial = ?, device_model = ?, device_clock = ?, gateway_clock_ms = ?
                WHERE id = ?
                """, context: context) { (st: Statement) throws(StoreError) in
                try st.bind(1, deviceSerial)
                try st.bind(2, deviceModel)
                try st.bind(3, deviceClock?.description)
                try st.bind(4, gatewayClockMillis)
                try st.bind(5, id)
                _ = try st.step(context)
            }
        }
    }

    /// Records how session `id` ended and how many records it read and stored as new.
    public func endSession(_ id: Int64, outcome: String, recordsRead: Int, recordsNew: Int,
                           endedAtMillis: Int64) throws(StoreError) {
        let context = "recording the end of session \(id)"
        try locked { (db: Connection) throws(StoreError) in
            try db.withStatement("""
                UPDATE sessions SET outcome = ?, records_read = ?, records_new = ?, ended_at_ms = ? WHERE id = ?
                """, context: context) { (st: Statement) throws(StoreError) in
                try st.bind(1, outcome)
                try st.bind(2, Int64(recordsRead))
                try st.bind(3, Int64(recordsNew))
                try st.bind(4, endedAtMillis)
                try st.bind(5, id)
                _ = try st.step(context)
            }
        }
    }
}
