internal import CSQLite

/// SQLite's "copy the bytes now" destructor for bound text and blobs.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared SQLite statement. Owned by a `Connection`, which caches and finalizes it; used
/// only while the store's mutex is held.
final class Statement {
    let handle: OpaquePointer
    let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Makes the statement ready for a fresh use and ends any read it held open.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func check(_ rc: Int32, _ context: @autoclosure () -> String) throws(StoreError) {
        guard rc == SQLITE_OK else { throw Connection.error(sqlite3_db_handle(handle), rc, context()) }
    }

    func bind(_ index: Int32, _ value: Int64) throws(StoreError) {
        try check(sqlite3_bind_int64(handle, index, value), "binding parameter \(index)")
    }

    func bind(_ index: Int32, _ value: Int64?) throws(StoreError) {
        guard let value else { return try check(sqlite3_bind_null(handle, index), "binding parameter \(index)") }
        try bind(index, value)
    }

    func bind(_ index: Int32, _ value: String) throws(StoreError) {
        let rc = value.withCString { sqlite3_bind_text(handle, index, $0, -1, sqliteTransient) }
        try check(rc, "binding parameter \(index)")
    }

    func bind(_ index: Int32, _ value: String?) throws(StoreError) {
        guard let value else { return try check(sqlite3_bind_null(handle, index), "binding parameter \(index)") }
        try bind(index, value)
    }

    /// Binds bytes as a BLOB; an empty array binds a zero-length BLOB, never NULL.
    func bind(_ index: Int32, blob: [UInt8]) throws(StoreError) {
        let rc: Int32
        if blob.isEmpty {
            rc = sqlite3_bind_zeroblob(handle, index, 0)
        } else {
            rc = blob.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
        }
        try check(rc, "binding parameter \(index)")
    }

    /// Runs one step: true when a row is available, false when the statement is done.
    func step(_ context: @autoclosure () -> String) throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw Connection.error(sqlite3_db_handle(handle), rc, context())
        }
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    /// Whether the column is SQL NULL.
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}
