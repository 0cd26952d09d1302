public import DeviceProfiles
public import Store

/// Why the gateway could not start. Each message says what to fix.
public enum GatewayError: Error, CustomStringConvertible {
    case config(YAMLIssue)
    case store(String)
    /// The store cannot be opened.
    case storeFailed(StoreError)
    /// The store or key path is unsafe (not a regular file, a planted link, another owner, a
    /// directory others may write): fixed in the configuration or the file system, so the
    /// daemon exits 78 and systemd does not restart it in a loop.
    case unsafeFile(String)
    case noProfiles(searched: [String])
    case uplink(String)
    case discovery(String)

    /// The process exit code for this failure, the same as any command's for the same cause
    /// (`ExitStatus.of`): 78 the configuration, 77 a file refused for its owner or mode, 66 no
    /// device profile found, 69 libudev unavailable; systemd does not restart the daemon on
    /// 66, 77 or 78 (`RestartPreventExitStatus`), which need a technician.
    public var exitCode: Int32 { ExitStatus.of(self).rawValue }

    public var description: String {
        switch self {
        case let .config(issue): return issue.description
        case let .store(e): return "cannot open the store: \(e)"
        case let .storeFailed(e): return "cannot open the store: \(e)"
        case let .unsafeFile(e): return "refusing the store's files (check 'store.path'): \(e)"
        case let .noProfiles(searched): return "no device profiles loaded from \(searched.joined(separator: ", ")); install profiles or fix 'profiles.paths'"
        case let .uplink(e): return "uplink settings: \(e)"
        case let .discovery(e): return "device discovery: \(e)"
        }
    }
}
