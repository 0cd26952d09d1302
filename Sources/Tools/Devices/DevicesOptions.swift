import Daemon
/// What `pocgate devices` was asked to do.
public struct DevicesOptions: Sendable {
    /// Where to load device profiles from; nil: the configuration's `profiles.paths` when the
    /// configuration is read, else `ProfileResolver.defaultDirectories`.
    public var profileDirectories: [String]?
    /// The daemon's configuration file, read for `bluetooth.devices` (the names Bluetooth
    /// rules match on) and the profile directories.
    public var configPath: String = "/etc/pocgate/pocgate.yaml"
    /// Whether the configuration was named explicitly: then it must be readable and valid.
    /// Otherwise a missing file is skipped silently and an unreadable or broken one with a
    /// warning, and the listing goes on without Bluetooth names.
    public var configRequired = false
    /// One JSON object per line instead of a table.
    public var json: Bool
    /// Keep monitoring after the listing and report ports as they come and go.
    public var watch: Bool
    /// With `watch`: stop after this many added/removed events (the listing does not count).
    public var eventLimit: Int?
    /// Log discovery details at debug level to stderr.
    public var verbose: Bool
    /// The running daemon's status file, read (when readable) for the verdicts of its
    /// identification probes on tied bridge ports.
    public var statusPath: String = "/run/pocgate/status.json"

    public init(profileDirectories: [String]?, json: Bool = false, watch: Bool = false,
                eventLimit: Int? = nil, verbose: Bool = false) {
        self.profileDirectories = profileDirectories
        self.json = json
        self.watch = watch
        self.eventLimit = eventLimit
        self.verbose = verbose
    }
}
