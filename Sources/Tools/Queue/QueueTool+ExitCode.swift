package import Daemon
internal import Store

extension QueueTool.Failure {
    /// The sysexits code of this failure (`ExitStatus.of`), the same for the same cause in
    /// every command: 78 configuration, 66 a configuration, database or input file that is not
    /// there, 77 a file refused for its type, owner or mode or not readable, 65 a value the
    /// command refuses (an invalid resident ID, an unknown id), 75 the database busy (try
    /// again), 74 an I/O failure (disk full), 70 anything else.
    public var exitCode: Int32 { ExitStatus.of(self).rawValue }
}

extension ExitStatus {
    /// The cause of a tool's failure.
    package static func of(_ failure: QueueTool.Failure) -> ExitStatus {
        switch failure {
        case .config, .key: return .configuration
        case .configUnreadable(_, let cause): return cause
        case .noStore: return .noInput
        case .input: return .dataError
        case .store(let error): return of(error)
        }
    }
}
