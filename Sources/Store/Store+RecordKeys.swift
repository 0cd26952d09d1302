extension Store {
    /// The record key of the reading stored last (by insertion) for `deviceSerial` whose key
    /// starts with `prefix` (`gls|`), or nil when none is stored. A session whose device numbers
    /// its records in order (a GATT glucose meter's sequence numbers) asks the device only for
    /// the records after it. Readings pruned since are not looked at: the device then sends them
    /// again and the pruned-key table keeps them from being stored twice.
    public func latestRecordKey(deviceSerial: String, prefix: String) throws(StoreError) -> String? {
        let context = "finding the last stored record of \(deviceSerial)"
        return try locked { (db: Connection) throws(StoreError) -> String? in
            try db.withStatement("""
                SELECT record_key FROM readings
                WHERE device_serial = ? AND substr(record_key, 1, length(?)) = ?
                ORDER BY id DESC LIMIT 1
                """, context: context) { (st: Statement) throws(StoreError) -> String? in
                try st.bind(1, deviceSerial)
                try st.bind(2, prefix)
                try st.bind(3, prefix)
                return try st.step(context) ? st.text(0) : nil
            }
        }
    }
}
