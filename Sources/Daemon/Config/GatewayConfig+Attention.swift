import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension GatewayConfig {
    /// Gateway ids that were written into example or image configurations. Every box installed
    /// from such a file would report as one gateway, and the center would merge their batches.
    public static let placeholderGatewayIDs: Set<String> = [
        "clinic-mengla-01", "gateway", "pocgate", "example", "changeme", "change-me", "gw-unknown",
    ]

    /// What in this configuration a person must still set before the box serves a clinic, one
    /// sentence each with the fix; empty when nothing is left. The daemon runs and queues
    /// readings either way: these make `pocgate status` say "needs attention", not OK.
    public var unfinishedSetup: [String] {
        var sentences: [String] = []
        if let id = gatewayID, Self.placeholderGatewayIDs.contains(id.lowercased()) {
            sentences.append("gateway.id is '\(id)', a placeholder that other boxes share: remove it from the "
                             + "configuration so the id comes from /etc/machine-id, or set the id the data center gave this box")
        }
        if let host = Self.host(of: uplinkURL), host == "invalid" || host.hasSuffix(".invalid") {
            sentences.append("uplink.url is still the placeholder '\(uplinkURL)': readings queue up but go nowhere; "
                             + "set it to the data center's FHIR address and restart pocgate")
        }
        return sentences
    }

    /// The lower-cased host of an `http(s)://` URL, without user info or port.
    package static func host(of url: String) -> String? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        var rest = url[scheme.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") { return String(rest[rest.index(after: rest.startIndex)..<close]).lowercased() }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        var host = rest.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        return host.isEmpty ? nil : host
    }
}
