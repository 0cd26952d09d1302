import Foundation

/// The data center's side of the heartbeat, as docs/fhir/README.md tells a center to build it:
/// the newest `heartbeat-time` and `heartbeat-interval` of each gateway Device, and the
/// `last-session` of each meter Device; a gateway is silent once its interval has passed
/// since its newest heartbeat, a meter once it has had no session for a quiet time the
/// center chooses.
struct FleetLedger {
    private var gateways: [String: (sentAtMillis: Int64, intervalMillis: Int64)] = [:]
    private var meters: [String: Int64] = [:]

    /// Takes in one received heartbeat Bundle.
    mutating func receive(_ body: [UInt8]) throws {
        let bundle = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        for entry in bundle["entry"] as? [[String: Any]] ?? [] {
            guard let device = entry["resource"] as? [String: Any], device["resourceType"] as? String == "Device" else { continue }
            let identifier = (device["identifier"] as? [[String: Any]])?.first ?? [:]
            guard let system = identifier["system"] as? String, let value = identifier["value"] as? String else { continue }
            let ext = FleetHeartbeatTests.extensions(device)
            if system.hasSuffix("/identifier/gateway-id") {
                guard let sent = (ext["heartbeat-time"] as? String).flatMap(Self.millis),
                      let interval = ext["heartbeat-interval"] as? Int else { continue }
                if sent >= gateways[value]?.sentAtMillis ?? .min {
                    gateways[value] = (sent, Int64(interval) * 1000)
                }
            } else if let session = (ext["last-session"] as? String).flatMap(Self.millis) {
                meters[value] = max(meters[value] ?? .min, session)
            }
        }
    }

    /// Gateways whose interval has passed at `atMillis` without a newer heartbeat, sorted.
    func silentGateways(atMillis: Int64) -> [String] {
        gateways.filter { atMillis > $0.value.sentAtMillis + $0.value.intervalMillis }.keys.sorted()
    }

    /// Meters without a session for more than `quietSeconds` at `atMillis`, sorted.
    func silentMeters(atMillis: Int64, quietSeconds: Int64) -> [String] {
        meters.filter { atMillis - $0.value > quietSeconds * 1000 }.keys.sorted()
    }

    /// `2024-06-15T00:30:00.000Z` as Unix milliseconds.
    static func millis(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
