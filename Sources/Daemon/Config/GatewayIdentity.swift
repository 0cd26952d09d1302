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
                let digest = SHA256Digest.hash(Array(("pocgate-gateway:" + machineID).utf8))
                let hex = Array("0123456789abcdef")
                return "gw-" + String(digest.prefix(8).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xF)]] })
            }
        }
        let host = ProcessInfo.processInfo.hostName
        let cleaned = String(host.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic
            || $0.properties.numericType != nil || "-_.".unicodeScalars.contains($0)) }.map(Character.init).prefix(64))
        return cleaned.isEmpty ? "gw-unknown" : cleaned
    }
}
