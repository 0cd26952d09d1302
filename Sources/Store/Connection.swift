internal import CSQLite

/// One open SQLite connection with a statement cache. Not thread-safe by itself: `Store`
/// serializes every use behind its mutex.
final class Connection {
    let handle: OpaquePointer
    let path: String
    private var statements: [String: Statement] = [:]

    /// Opens an existing database file read-write (the store creates the file itself first,
    /// so SQLite never creates it with the process umask), or read-only.
    init(path: String, readOnly: Bool = false) throws(StoreError) {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOFOLLOW
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = Self.error(db, rc, "opening \(path)")
            sqlite3_close_v2(db)
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        self.handle = db
        self.path = path
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// A `StoreError` for result code `rc`, with SQLite's message for `db` when it has one.
    static func error(_ db: OpaquePointer?, _ rc: Int32, _ context: String) -> StoreError {
        var message = String(cString: sqlite3_errstr(rc))
        if let db, sqlite3_extended_errcode(db) == rc || sqlite3_errcode(db) == rc & 0xff {
            message = String(cString: sqlite3_errmsg(db))
        }
        return .sqlite(code: rc, message: message, context: context)
    }

    /// Runs one or more SQL statements that return no rows needed by the caller.
    func execute(_ sql: String, context: String) throws(StoreError) {
        var errorText: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorText)
        if rc != SQLITE_OK {
            let message = errorText.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorText)
            throw .sqlite(code: sqlite3_extended_errcode(handle), message: message, context: context)
        }
    }

    /// Runs `body` with a cached prepared statement for `sql`, resetting it afterwards so no
    /// read transaction stays open.
    func withStatement<R>(_ sql: String, context: String,
                          _ body: (Statement) throws(StoreError) -> R) throws(StoreError) -> R {
        let statement: Statement
        if let cached = statements[sql] {
            statement = cached
        } else {
            var raw: OpaquePointer?
            let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
            guard rc == SQLITE_OK, let raw else { throw Self.error(handle, rc, context) }
            statement = Statement(handle: raw, sql: sql)
            statements[sql] = statement
        }
        defer { statement.reset() }
        return try body(statement)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    func transaction<R>(_ context: String, _ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        try execute("BEGIN IMMEDIATE", context: context)
        do {
            let result = try body()
            try execute("COMMIT", context: context)
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 {
                sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
    }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The row id of the last successful INSERT.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}

extension Connection {
    /// Runs `body` inside a deferred read transaction, so several queries see one snapshot.
    func transactionRead<R>(_ context: String, _ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        try execute("BEGIN", context: context)
        do {
            let result = try body()
            try execute("COMMIT", context: context)
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 {
                sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
    }
}
