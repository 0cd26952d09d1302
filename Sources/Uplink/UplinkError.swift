/// Why the uplink could not be set up. Each message names the setting to fix.
public enum UplinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data center URL is unusable or not allowed.
    case invalidURL(url: String, reason: String)
    /// The configured time zone is not a known IANA zone.
    case unknownTimeZone(String)
    /// The CA file is missing or unreadable.
    case unreadableCAFile(path: String)
    /// A numeric or text setting is out of range.
    case invalidSetting(name: String, value: String, reason: String)
    /// libcurl could not be initialised.
    case transport(TransportError)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "uplink: the data center URL '\(url)' cannot be used: \(reason)."
        case .unknownTimeZone(let zone):
            return "uplink: '\(zone)' is not a known IANA time zone; set the uplink time zone to a name such as "
                + "'Asia/Shanghai' (the zone the meters' clocks are set to)."
        case .unreadableCAFile(let path):
            return "uplink: the CA file '\(path)' does not exist or cannot be read by the pocgate user; install the "
                + "data center's CA certificate (PEM) there or fix the configured path."
        case .invalidSetting(let name, let value, let reason):
            return "uplink: setting \(name) = \(value) is invalid: \(reason)."
        case .transport(let error):
            return "uplink: \(error)"
        }
    }
}
