internal import CSQLite
#if canImport(Glibc)
internal import Glibc
#endif

/// Why the store could not do what was asked, with the SQLite result code kept visible so a
/// caller can react to `SQLITE_BUSY`, `SQLITE_FULL` or `SQLITE_CORRUPT`.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite refused an operation. `code` is the extended result code (`code & 0xff` is the
    /// primary one); `context` says what the store was doing.
    case sqlite(code: Int32, message: String, context: String)
    /// The database file could not be created or opened with `open(2)`.
    case cannotCreate(path: String, errno: Int32)
    /// The database's path is unsafe to use (not a regular file, planted link, another owner,
    /// a directory others may write): a configuration problem, fixed by the technician.
    case unsafeFile(PrivateFile.Refusal)
    /// The database was written by a newer pocgate whose schema this build does not know.
    case newerSchema(found: Int, supported: Int)
    /// A stored row holds a value this build cannot read back.
    case unreadableRow(id: Int64, column: String, value: String)
    /// No room for another reading: the store reached `store.max_size_mb` (`limitBytes`) with
    /// nothing left to prune, or the disk itself is full (`limitBytes` nil). Undelivered
    /// readings are never evicted; the device keeps its records and is read again later.
    case full(usedBytes: Int64, limitBytes: Int64?)
    /// No dead letter with this reading id (or it was already dropped or retried).
    case noSuchDeadLetter(id: Int64)
    /// A patient id given to bind a device is not a valid resident ID; `reason` says why
    /// (never the id itself).
    case invalidPatientID(reason: String)
    /// `pocgate queue attach` named a reading that is not waiting for its patient (unknown,
    /// already sent, or held for another reason); `reason` says which.
    case notHeldForPatient(id: Int64, reason: String)
    /// `releaseValue` on a reading that is unknown or not held for the reason given.
    case notHeldForValue(id: Int64, reason: String)

    /// The primary SQLite result code (`SQLITE_FULL`, `SQLITE_BUSY`, ...), when this is a
    /// SQLite error.
    public var sqliteCode: Int32? {
        if case .sqlite(let code, _, _) = self { return code & 0xff }
        return nil
    }

    /// Whether this means "no room": the configured cap or a full disk (`SQLITE_FULL`). A
    /// session stops draining its device on it; it clears by itself once room returns.
    public var isFull: Bool {
        if case .full = self { return true }
        return sqliteCode == SQLITE_FULL
    }

    public var description: String {
        switch self {
        case .sqlite(let code, let message, let context):
            return "store: \(context) failed: \(message) (SQLite code \(code)). \(Self.advice(primary: code & 0xff))"
        case .cannotCreate(let path, let err):
            return "store: cannot create or open the database file \(path): \(Self.errnoText(err)). \(Self.advice(errno: err))"
        case .unsafeFile(let refusal):
            return "store: refused: \(refusal)"
        case .newerSchema(let found, let supported):
            return "store: the database has schema version \(found) but this pocgate supports up to \(supported); "
                + "it was written by a newer pocgate. Install that version again (do not delete the database: it may hold undelivered readings)."
        case .unreadableRow(let id, let column, let value):
            return "store: reading \(id) has an unreadable \(column) '\(value)'; the database was changed by hand or by "
                + "another pocgate version. Keep the file and report it; do not delete it (it may hold undelivered readings)."
        case .full(let used, let limit?):
            return "store: full: \(Self.mebibytes(used)) used of the \(Self.mebibytes(limit)) cap (store.max_size_mb) and every "
                + "delivered reading is already pruned; the rest wait for the data center. New readings stay on the device "
                + "until the uplink delivers the backlog: check the uplink (pocgate queue), or raise store.max_size_mb if the disk has room."
        case .full(let used, nil):
            return "store: the disk is full (database \(Self.mebibytes(used))); new readings stay on the device. Free space on the "
                + "gateway's storage; pocgate resumes by itself once there is room."
        case .noSuchDeadLetter(let id):
            return "store: no dead letter for reading \(id); list them with 'pocgate queue dead list'."
        case .invalidPatientID(let reason):
            return "store: not a valid resident ID (\(reason)); check the number on the ID card and type it again."
        case .notHeldForPatient(let id, let reason):
            return "store: reading \(id) \(reason); 'pocgate queue held' lists the readings waiting for a patient."
        case .notHeldForValue(let id, let reason):
            return "store: reading \(id) \(reason); 'pocgate queue held' lists the readings held for their value with their reason."
        }
    }

    /// The store error for a refused private file: failures to open are reported as
    /// `cannotCreate` with their errno, everything else as `unsafeFile`.
    init(refusal: PrivateFile.Refusal) {
        if case let .system(file, call, err) = refusal, call == "open" {
            self = .cannotCreate(path: file, errno: err)
        } else {
            self = .unsafeFile(refusal)
        }
    }

    /// Whether this is a problem with the configured path rather than with the data or the
    /// disk: the daemon exits 78 (configuration refused) on it.
    public var isConfiguration: Bool {
        if case .unsafeFile = self { return true }
        return false
    }

    /// `12.5 MiB`.
    static func mebibytes(_ bytes: Int64) -> String {
        let mib: Int64 = 1_048_576
        return "\(bytes / mib).\((bytes % mib) * 10 / mib) MiB"
    }

    static func advice(primary code: Int32) -> String {
        switch code {
        case SQLITE_FULL:
            return "The disk is full: free space on the gateway's storage; pocgate resumes by itself once there is room."
        case SQLITE_READONLY:
            return "The database is read-only: check the file's owner and mode, and that the file system is mounted read-write."
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return "The database file is damaged: stop pocgate, copy the file aside for recovery, and report it; do not delete it."
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "Another process holds the database: make sure only one pocgate runs on this file."
        case SQLITE_IOERR:
            return "A disk I/O error: check the storage (SD card or disk) health and the kernel log."
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH:
            return "The file cannot be opened: check that its directory exists and the pocgate user may write there."
        case SQLITE_CONSTRAINT:
            return "A stored row broke a database rule; this is a pocgate bug: report it with the log."
        default:
            return "Report this with the log if it persists."
        }
    }

    static func advice(errno err: Int32) -> String {
        switch err {
        case ENOENT: return "Create the directory first (or fix the configured path)."
        case EACCES, EPERM: return "Give the pocgate user write access to the directory."
        case EROFS: return "The file system is read-only: remount it read-write."
        case ENOSPC: return "The disk is full: free space."
        default: return "Check the path and the storage."
        }
    }

    static func errnoText(_ err: Int32) -> String {
        guard let text = strerror(err) else { return "errno \(err)" }
        return String(cString: text) + " (errno \(err))"
    }
}
