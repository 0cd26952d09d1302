public import DeviceProfiles

/// Why the gateway could not start. Each message says what to fix.
public enum GatewayError: Error, CustomStringConvertible {
    case config(YAMLIssue)
    case store(String)
    /// The store or key path is unsafe (not a regular file, a planted link, another owner, a
    /// directory others may write): fixed in the configuration or the file system, so the
    /// daemon exits 78 and systemd does not restart it in a loop.
    case unsafeFile(String)
    case noProfiles(searched: [String])
    case uplink(String)
    case discovery(String)

    /// The process exit code for this failure: 78 (EX_CONFIG) for what a technician fixes in
    /// the configuration or the file system, 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .config, .unsafeFile: return 78
        case .store, .noProfiles, .uplink, .discovery: return 1
        }
    }

    public var description: String {
        switch self {
        case let .config(issue): return issue.description
        case let .store(e): return "cannot open the store: \(e)"
        case let .unsafeFile(e): return "refusing the store's files (check 'store.path'): \(e)"
        case let .noProfiles(searched): return "no device profiles loaded from \(searched.joined(separator: ", ")); install profiles or fix 'profiles.paths'"
        case let .uplink(e): return "uplink settings: \(e)"
        case let .discovery(e): return "device discovery: \(e)"
        }
    }
}
