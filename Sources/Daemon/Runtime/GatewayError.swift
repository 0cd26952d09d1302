public import DeviceProfiles

/// Why the gateway could not start. Each message says what to fix.
public enum GatewayError: Error, CustomStringConvertible {
    case config(YAMLIssue)
    case store(String)
    case noProfiles(searched: [String])
    case uplink(String)
    case discovery(String)

    public var description: String {
        switch self {
        case let .config(issue): return issue.description
        case let .store(e): return "cannot open the store: \(e)"
        case let .noProfiles(searched): return "no device profiles loaded from \(searched.joined(separator: ", ")); install profiles or fix 'profiles.paths'"
        case let .uplink(e): return "uplink settings: \(e)"
        case let .discovery(e): return "device discovery: \(e)"
        }
    }
}
