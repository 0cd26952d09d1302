internal import CSQLite
internal import Synchronization

/// Read-only access to a store another process (the daemon) owns, for `pocgate status`.
///
/// Opens the file with `SQLITE_OPEN_READONLY`: it never creates the database, never applies
/// migrations and never writes, so it is safe to use while the daemon runs. A database
/// written by a newer pocgate is refused, as `Store` does.
public final class StoreReader: @unchecked Sendable {
    /// The database file's path.
    public let path: String
    /// The schema version of the database (its newest applied migration).
    public let schemaVersion: Int
    private let connection: Mutex<Connection>

    /// Opens the existing database at `path` read-only.
    /// - Throws: `StoreError.sqlite` when the file is missing, unreadable or not a pocgate
    ///   store, `.newerSchema` when a newer pocgate wrote it.
    public init(path: String) throws(StoreError) {
        self.path = path
        let db = try Connection(path: path, readOnly: true)
        sqlite3_busy_timeout(db.handle, 2_000)
        let context = "reading the schema version of \(path) (is it a pocgate database?)"
        let version = try db.withStatement("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", context: context) {
            (st: Statement) throws(StoreError) -> Int in
            try st.step(context) ? Int(st.int64(0)) : 0
        }
        guard version <= Migration.latestVersion else {
            throw .newerSchema(found: version, supported: Migration.latestVersion)
        }
        guard version >= 1 else {
            throw .sqlite(code: SQLITE_ERROR, message: "no migration has been applied", context: context)
        }
        schemaVersion = version
        connection = Mutex(db)
    }

    /// Counts and times describing the store.
    public func status() throws(StoreError) -> StoreStatus {
        let version = schemaVersion
        return try connection.withLock { (db: inout sending Connection) throws(StoreError) -> sending StoreStatus in
            try db.status(schemaVersion: version)
        }
    }
}
