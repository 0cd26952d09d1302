import Uplink
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The gateway's default id when `gateway.id` is not set: `gw-` and the first 16 hex digits of
/// SHA-256 of /etc/machine-id (so the id is stable but does not reveal the machine id), or the
/// host name when there is no machine id.
public enum GatewayIdentity {
    /// The id for `configured` (used as is when set).
    public static func resolve(configured: String?, machineIDFile: String = "/etc/machine-id") -> String {
        if let configured { return configured }
        if let data = FileManager.default.contents(atPath: machineIDFile) {
            let machineID = String(decoding: data, as: UTF8.self).trimmingWhitespaceAndNewlines()
            if !machineID.isEmpty {
                // The first 8 bytes of the digest, as 16 lowercase hex digits.
                return "gw-" + BatchSigner.sha256Hex(Array(("pocgate-gateway:" + machineID).utf8)).prefix(16)
            }
        }
        let host = ProcessInfo.processInfo.hostName
        let cleaned = String(host.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic
            || $0.properties.numericType != nil || "-_.".unicodeScalars.contains($0)) }.map(Character.init).prefix(64))
        return cleaned.isEmpty ? "gw-unknown" : cleaned
    }
}
