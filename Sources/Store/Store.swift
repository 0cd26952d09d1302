internal import CSQLite
internal import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// The gateway's durable memory: readings, the delivery outbox and device sessions, in one
/// SQLite file in WAL mode with `synchronous=FULL`.
///
/// A reading is stored together with its outbox row in one transaction; it leaves the outbox
/// only when the data center has acknowledged it. One connection is shared behind a mutex, so
/// every method may be called from any thread.
public final class Store: @unchecked Sendable {
    /// The schema version of the open database (the newest applied migration).
    public let schemaVersion: Int
    /// The newest schema version this build of pocgate knows.
    public static var supportedSchemaVersion: Int { Migration.latestVersion }
    /// The database file's path.
    public let path: String
    /// How much the store may grow.
    public let limits: StoreLimits

    let connection: Mutex<Connection>

    /// Opens the database at `path`, creating it (mode 0600) when missing, and applies any
    /// pending migrations.
    ///
    /// - Throws: `StoreError.cannotCreate` when the file cannot be created, `.newerSchema` when a
    ///   newer pocgate wrote it, `.sqlite` for anything SQLite refuses.
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, limits: .unlimited)
    }

    /// Opens the database at `path` like `init(path:)`, capped by `limits`: at the cap,
    /// delivered readings are pruned first and then new inserts throw `StoreError.full`.
    public init(path: String, limits: StoreLimits) throws(StoreError) {
        self.path = path
        self.limits = limits
        try Self.createPrivateFile(path)
        let db = try Connection(path: path)
        try Self.configure(db)
        try Self.restrictSidecarFiles(path)
        self.schemaVersion = try Self.migrate(db)
        try Self.restrictSidecarFiles(path)
        self.connection = Mutex(db)
    }

    /// Runs `body` with the connection while holding the store's lock.
    func locked<R: Sendable>(_ body: (Connection) throws(StoreError) -> R) throws(StoreError) -> R {
        try connection.withLock { (db: inout sending Connection) throws(StoreError) -> sending R in
            try body(db)
        }
    }

    /// Checks where the file is (`PrivateFile.checkLocation`), refuses planted companion files,
    /// then creates the file with mode 0600 before SQLite sees it, or tightens an existing one
    /// through its open descriptor.
    private static func createPrivateFile(_ path: String) throws(StoreError) {
        do {
            try PrivateFile.checkLocation(path)
            try PrivateFile.tightenSidecars(of: path)
            try PrivateFile.tighten(path, create: true)
        } catch {
            throw StoreError(refusal: error)
        }
    }

    /// SQLite gives `-wal`/`-shm` the database file's mode; tighten them anyway in case an
    /// older file or another tool left them wider (never following a link planted there).
    private static func restrictSidecarFiles(_ path: String) throws(StoreError) {
        do {
            try PrivateFile.tightenSidecars(of: path)
        } catch {
            throw StoreError(refusal: error)
        }
    }

    private static func configure(_ db: Connection) throws(StoreError) {
        sqlite3_busy_timeout(db.handle, 5_000)
        let mode = try db.withStatement("PRAGMA journal_mode=WAL", context: "switching to WAL mode") {
            (st: Statement) throws(StoreError) -> String in
            try st.step("switching to WAL mode") ? st.text(0) : ""
        }
        guard mode.lowercased() == "wal" else {
            throw .sqlite(code: SQLITE_CANTOPEN, message: "journal mode stayed '\(mode)'",
                          context: "switching \(db.path) to WAL mode (the file system must support shared memory; use a local disk)")
        }
        try db.execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", context: "setting durability pragmas")
    }

    /// Applies every migration newer than the database's version, each in its own transaction.
    private static func migrate(_ db: Connection) throws(StoreError) -> Int {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
            """, context: "creating the migrations table")
        let supported = Migration.latestVersion
        let found = try appliedVersion(db)
        guard found <= supported else { throw .newerSchema(found: found, supported: supported) }
        for migration in Migration.all where migration.version > found {
            let context = "applying migration \(migration.version) (\(migration.name))"
            try db.transaction(context) { () throws(StoreError) in
                // Another process may have applied it since we looked.
                guard try appliedVersion(db) < migration.version else { return }
                try db.execute(migration.sql, context: context)
                try db.withStatement(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)", context: context
                ) { (st: Statement) throws(StoreError) in
                    try st.bind(1, Int64(migration.version))
                    try st.bind(2, migration.name)
                    try st.bind(3, Int64(time(nil)))
                    _ = try st.step(context)
                }
            }
        }
        return try appliedVersion(db)
    }

    private static func appliedVersion(_ db: Connection) throws(StoreError) -> Int {
        try db.withStatement("SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                             context: "reading the schema version") { (st: Statement) throws(StoreError) -> Int in
            try st.step("reading the schema version") ? Int(st.int64(0)) : 0
        }
    }
}
