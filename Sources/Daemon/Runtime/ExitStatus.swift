internal import FoundationEssentials
public import Store
#if canImport(Glibc)
import Glibc
#endif

/// The process exit code of a command, from sysexits(3): one mapping from typed causes to
/// codes, used by every command, so the same cause exits with the same code from `run`,
/// `status`, `queue`, `check`, `devices`, `profile …` and `uplink test`.
public enum ExitStatus: Int32, Sendable, Codable, CaseIterable {
    case ok = 0
    /// The command's own negative verdict: `status` needs attention, `verify-chain` found problems.
    case verdict = 1
    /// EX_USAGE: a wrong argument or option.
    case usage = 64
    /// EX_DATAERR: a value the command refuses (an invalid resident ID, an unknown id).
    case dataError = 65
    /// EX_NOINPUT: a file that is not there: the configuration, the database, an input file.
    case noInput = 66
    /// EX_UNAVAILABLE: a service needed is not there: the data center, libudev.
    case unavailable = 69
    /// EX_SOFTWARE: anything else.
    case software = 70
    /// EX_CANTCREAT: a file could not be created.
    case cannotCreate = 73
    /// EX_IOERR: an I/O failure (disk full).
    case ioError = 74
    /// EX_TEMPFAIL: busy, try again.
    case tryAgain = 75
    /// EX_NOPERM: a file refused for its type, owner or mode, or not readable.
    case noPermission = 77
    /// EX_CONFIG: a configuration value (or device profile) is wrong.
    case configuration = 78

    /// The cause of a configuration file that could not be loaded: 66 when it is not there,
    /// 77 when it cannot be read, 78 when its content is refused.
    public static func configRefused(path: String) -> ExitStatus {
        if access(path, F_OK) != 0 { return errno == EACCES ? .noPermission : .noInput }
        if access(path, R_OK) != 0 { return .noPermission }
        return .configuration
    }

    /// The cause of a store failure.
    public static func of(_ error: StoreError) -> ExitStatus {
        switch error {
        case .unsafeFile: return .noPermission
        case .cannotCreate(_, let err): return err == EACCES || err == EPERM ? .noPermission : .cannotCreate
        case .newerSchema: return .configuration
        case .full: return .ioError
        case .noSuchDeadLetter, .invalidPatientID, .notHeldForPatient, .notHeldForValue: return .dataError
        case .sqlite(let code, _, _):
            switch code & 0xff {
            case 5, 6: return .tryAgain  // SQLITE_BUSY, SQLITE_LOCKED
            case 13, 10: return .ioError  // SQLITE_FULL, SQLITE_IOERR
            case 14, 23: return .noPermission  // SQLITE_CANTOPEN, SQLITE_AUTH (permissions)
            case 26, 11: return .dataError  // SQLITE_NOTADB, SQLITE_CORRUPT: not a pocgate database
            default: return .software
            }
        case .unreadableRow: return .software
        }
    }

    /// The cause of the daemon not starting.
    public static func of(_ error: GatewayError) -> ExitStatus {
        switch error {
        case .config: return .configuration
        case .unsafeFile: return .noPermission
        case .storeFailed(let error): return of(error)
        case .store: return .software
        case .noProfiles: return .noInput
        case .uplink: return .configuration
        case .discovery: return .unavailable
        }
    }
}
