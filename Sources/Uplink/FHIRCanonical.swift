/// The canonical URLs pocgate puts in what it uploads: its extensions
/// (`<base>/StructureDefinition/<name>`), its identifier systems (`<base>/identifier/<name>`)
/// and `meta.source` (`<base>/gateway/<gateway id>`), all under one configurable base
/// (`uplink.canonical_base`). docs/fhir/ publishes a StructureDefinition for every extension.
public struct FHIRCanonical: Sendable, Equatable {
    /// The default base. `.invalid` is reserved (RFC 6761): no one can own it, so the default
    /// never points at a stranger's site, and a deployment sets the center's own base.
    public static let defaultBase = "https://pocgate.invalid/fhir"

    /// Every extension pocgate sends, by the name that ends its URL.
    public enum Extension: String, Sendable, CaseIterable {
        /// Device profile id, version and content hash that decoded the reading (`valueString`).
        case deviceProfile = "device-profile"
        /// The value and unit as the device reported them, when `valueQuantity` was converted.
        case originalQuantity = "original-quantity"
        /// The device's own clock time when `effectiveDateTime` was corrected for its skew.
        case deviceTime = "device-time"
        /// Meal context as a v3 TimingEvent code.
        case mealContext = "meal-context"
        /// On an ECG statement component: who stands behind it (unconfirmed, confirmed, overread).
        case ecgStatementStatus = "ecg-statement-status"
        /// The ECG's high-pass (baseline) filter cut-off, Hz.
        case ecgHighPassFilter = "ecg-high-pass-filter"
        /// The ECG's low-pass filter cut-off, Hz.
        case ecgLowPassFilter = "ecg-low-pass-filter"
        /// The ECG's mains notch filter, Hz.
        case ecgNotchFilter = "ecg-notch-filter"
        /// Whether the cart's artifact filter was on.
        case ecgArtifactFilter = "ecg-artifact-filter"
        /// The patient's age as entered on the cart (its interpretation criteria follow it).
        case ecgAgeEntered = "ecg-age-entered"
        /// On the gateway Device of a heartbeat: when it was sent (`valueDateTime`).
        case heartbeatTime = "heartbeat-time"
        /// On the gateway Device: the next heartbeat is due within this (`valueQuantity`, s).
        case heartbeatInterval = "heartbeat-interval"
        /// On the gateway Device: seconds since the daemon started (`valueQuantity`, s).
        case gatewayUptime = "gateway-uptime"
        /// On the gateway Device: bytes the store's live pages use (`valueQuantity`, By).
        case storeUsed = "store-used"
        /// On the gateway Device: bytes left under the store's cap (`valueQuantity`, By).
        case storeHeadroom = "store-headroom"
        /// On the gateway Device: readings waiting for upload (`valueInteger`).
        case queueDepth = "queue-depth"
        /// On the gateway Device: age of the oldest waiting reading at `heartbeat-time` (`valueQuantity`, s).
        case oldestPendingAge = "oldest-pending-age"
        /// On the gateway Device: when the data center last acknowledged a reading (`valueDateTime`).
        case lastUpload = "last-upload"
        /// On the gateway Device: readings held back from upload for a person (`valueInteger`).
        case heldReadings = "held-readings"
        /// On the gateway Device: dead letters waiting for a person (`valueInteger`).
        case deadLetters = "dead-letters"
        /// On a meter Device: the profile that served its last session (`valueString`).
        case meterProfile = "meter-profile"
        /// On a meter Device: when its last session started (`valueDateTime`).
        case lastSession = "last-session"
        /// On a meter Device: how its last session ended (`valueString`).
        case lastSessionOutcome = "last-session-outcome"
        /// On a meter Device: when the gateway received its newest reading (`valueDateTime`).
        case lastReading = "last-reading"
        /// On a meter Device: gateway clock minus device clock, measured for its newest reading (`valueQuantity`, s).
        case clockOffset = "clock-offset"
    }

    /// The base, without a trailing `/`.
    public var base: String

    public init(base: String = FHIRCanonical.defaultBase) {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        self.base = b
    }

    /// The URL of `ext`.
    public func url(_ ext: Extension) -> String { base + "/StructureDefinition/" + ext.rawValue }

    /// The identifier system named `name` (`reading-id`, `device-serial`, `device-connection`,
    /// `ecg-recording`, `gateway-id`).
    public func identifierSystem(_ name: String) -> String { base + "/identifier/" + name }

    /// The `meta.source` prefix naming the gateway that read a reading.
    public var gatewaySourcePrefix: String { base + "/gateway/" }

    /// Why `text` cannot be a canonical base; nil when it can: an absolute `https://` or
    /// `http://` URL with a host, no spaces, `|`, `?` or `#` (it prefixes search parameters).
    public static func problem(in text: String) -> String? {
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else { return "it must start with https:// or http://" }
        let rest = text.drop { $0 != "/" }.dropFirst(2)
        guard let host = rest.split(separator: "/").first, !host.isEmpty else { return "it names no host" }
        guard !text.contains(where: { $0 == " " || $0 == "|" || $0 == "?" || $0 == "#" || $0 == "," || $0 == "$" }) else {
            return "it must not contain spaces or any of | ? # , $"
        }
        return nil
    }
}
