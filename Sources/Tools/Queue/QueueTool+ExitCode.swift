import Daemon
internal import Store

extension QueueTool.Failure {
    /// The sysexits code of this failure, the same for the same cause in every command that
    /// opens the store: 78 configuration, 66 a database or input file that is not there or not
    /// readable, 77 a file refused for its type, owner or mode, 65 a value the command refuses
    /// (an invalid resident ID, an unknown id), 75 the database busy (try again), 74 an I/O
    /// failure (disk full), 70 anything else.
    public var exitCode: Int32 {
        switch self {
        case .config, .key: return 78
        case .noStore: return 66
        case .input: return 65
        case .store(let error): return Self.exitCode(error)
        }
    }

    private static func exitCode(_ error: StoreError) -> Int32 {
        switch error {
        case .unsafeFile: return 77
        case .cannotCreate: return 73
        case .newerSchema: return 78
        case .full: return 74
        case .noSuchDeadLetter, .invalidPatientID, .notHeldForPatient, .notHeldForValue: return 65
        case .sqlite(let code, _, _):
            switch code & 0xff {
            case 5, 6: return 75  // SQLITE_BUSY, SQLITE_LOCKED
            case 13, 10: return 74  // SQLITE_FULL, SQLITE_IOERR
            case 14, 23: return 77  // SQLITE_CANTOPEN, SQLITE_AUTH (permissions)
            default: return 70
            }
        case .unreadableRow: return 70
        }
    }
}
