internal import FoundationEssentials
#if canImport(Glibc)
internal import Glibc
#endif
public import PocGateCore

/// Where and how the uplink delivers readings.
public struct UplinkSettings: Sendable, Equatable {
    /// The FHIR transaction endpoint. `https://` is required; `http://` only to a loopback host.
    public var url: String
    /// A PEM file with the CA(s) to trust instead of the system store; nil = system CA store.
    public var caFile: String?
    /// The base of every extension URL and identifier system (`uplink.canonical_base`).
    public var canonical: FHIRCanonical
    /// The identifier system of Observation identifiers (default `<base>/identifier/reading-id`).
    public var identifierSystem: String
    /// The identifier system of Device identifiers (device serial numbers; default
    /// `<base>/identifier/device-serial`).
    public var deviceIdentifierSystem: String
    /// The identifier system of a device that reports no serial, named by its USB serial or
    /// gateway and port (`<base>/identifier/device-connection`).
    public var deviceConnectionSystem: String { canonical.identifierSystem("device-connection") }
    /// The identifier system tying the Observations of one ECG recording together
    /// (`<base>/identifier/ecg-recording`).
    public var ecgRecordingSystem: String { canonical.identifierSystem("ecg-recording") }
    /// The identifier system of a patient's resident ID in `Observation.subject`
    /// (`patients.identifier_system`; default the Chinese health-informatics OID for the
    /// resident identity card number, `urn:oid:2.16.156.10011.1.3`).
    public var patientIdentifierSystem: String
    /// The default of `patientIdentifierSystem`.
    public static let residentIDSystem = "urn:oid:2.16.156.10011.1.3"
    /// The IANA time zone the meters' clocks are set to.
    public var timeZone: String
    /// The most readings sent in one bundle.
    public var batchSize: Int
    /// After a wake, how long a batch may wait to fill: it is sent once it holds `batchSize`
    /// readings or its oldest reading was received this many milliseconds ago.
    public var batchMaxWaitMillis: Int64
    /// Send request bodies gzip-compressed (`Content-Encoding: gzip`).
    public var gzip: Bool
    /// PEM client certificate for mutual TLS.
    public var clientCertificate: String?
    /// PEM private key of `clientCertificate`.
    public var clientKey: String?
    /// Proxy URL (`https://` or `http://`); nil = direct.
    public var proxy: String?
    /// The most seconds to wait for a connection.
    public var connectTimeoutSeconds: Int
    /// The most seconds one request may take in all.
    public var totalTimeoutSeconds: Int
    /// Abort a transfer slower than this many bytes per second for `lowSpeedTimeSeconds`; 0 = off.
    public var lowSpeedLimitBytesPerSecond: Int
    /// See `lowSpeedLimitBytesPerSecond`.
    public var lowSpeedTimeSeconds: Int
    /// The first retry delay; it doubles with every failed attempt.
    public var backoffBaseSeconds: Double
    /// The longest retry delay.
    public var backoffMaxSeconds: Double
    /// The unit each analyte is sent in (`uplink.units`); the device's value travels alongside.
    public var units: UnitPolicy
    /// The longest wait one `Retry-After` answer may impose; a longer one is cut to it and
    /// logged (`uplink.retry_after_max_s`, default 1 h: a load balancer's hiccup must not
    /// stop uploads for a day).
    public var retryAfterMaxSeconds: Int

    public init(url: String, caFile: String? = nil,
                identifierSystem: String? = nil,
                deviceIdentifierSystem: String? = nil,
                timeZone: String = "Asia/Shanghai", batchSize: Int = 50, batchMaxWaitMillis: Int64 = 2_000,
                gzip: Bool = true, clientCertificate: String? = nil, clientKey: String? = nil, proxy: String? = nil,
                connectTimeoutSeconds: Int = 10, totalTimeoutSeconds: Int = 60,
                lowSpeedLimitBytesPerSecond: Int = 100, lowSpeedTimeSeconds: Int = 30,
                backoffBaseSeconds: Double = 2, backoffMaxSeconds: Double = 300,
                units: UnitPolicy = .chinaDefault, patientIdentifierSystem: String = UplinkSettings.residentIDSystem,
                retryAfterMaxSeconds: Int = 3600, canonical: FHIRCanonical = FHIRCanonical()) {
        self.retryAfterMaxSeconds = retryAfterMaxSeconds
        self.patientIdentifierSystem = patientIdentifierSystem
        self.canonical = canonical
        self.url = url
        self.caFile = caFile
        self.identifierSystem = identifierSystem ?? canonical.identifierSystem("reading-id")
        self.deviceIdentifierSystem = deviceIdentifierSystem ?? canonical.identifierSystem("device-serial")
        self.timeZone = timeZone
        self.batchSize = batchSize
        self.batchMaxWaitMillis = batchMaxWaitMillis
        self.gzip = gzip
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.proxy = proxy
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.lowSpeedLimitBytesPerSecond = lowSpeedLimitBytesPerSecond
        self.lowSpeedTimeSeconds = lowSpeedTimeSeconds
        self.backoffBaseSeconds = backoffBaseSeconds
        self.backoffMaxSeconds = backoffMaxSeconds
        self.units = units
    }

    /// Checks every setting; throws the first problem found.
    public func validate() throws(UplinkError) {
        try validateURL()
        guard ZoneInfo.exists(timeZone) else { throw .unknownTimeZone(timeZone) }
        if let caFile, access(caFile, R_OK) != 0 { throw .unreadableCAFile(path: caFile) }
        func require(_ ok: Bool, _ name: String, _ value: some CustomStringConvertible, _ reason: String) throws(UplinkError) {
            if !ok { throw .invalidSetting(name: name, value: value.description, reason: reason) }
        }
        try require((1...1000).contains(batchSize), "batchSize", batchSize, "use 1 to 1000")
        try require((0...3_600_000).contains(batchMaxWaitMillis), "batchMaxWaitMillis", batchMaxWaitMillis,
                    "use 0 to 3600000 milliseconds")
        try require((clientCertificate == nil) == (clientKey == nil), "clientKey", clientKey ?? "none",
                    "a client certificate needs its key and a key needs its certificate")
        for (name, file) in [("clientCertificate", clientCertificate), ("clientKey", clientKey)] {
            if let file, access(file, R_OK) != 0 {
                throw .invalidSetting(name: name, value: file, reason: "the file does not exist or cannot be read by the pocgate user")
            }
        }
        if let proxy {
            let scheme = URLComponents(string: proxy)?.scheme?.lowercased()
            try require((scheme == "https" || scheme == "http") && URLComponents(string: proxy)?.host != nil
                            && !proxy.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
                        "proxy", Self.redactedURL(proxy), "use an https:// (or http://) proxy URL with a host, on one line")
        }
        try require(lowSpeedLimitBytesPerSecond >= 0, "lowSpeedLimitBytesPerSecond", lowSpeedLimitBytesPerSecond,
                    "must be 0 (off) or more")
        try require(lowSpeedTimeSeconds > 0, "lowSpeedTimeSeconds", lowSpeedTimeSeconds, "must be at least 1")
        try require(connectTimeoutSeconds > 0, "connectTimeoutSeconds", connectTimeoutSeconds, "must be at least 1")
        try require(totalTimeoutSeconds >= connectTimeoutSeconds, "totalTimeoutSeconds", totalTimeoutSeconds,
                    "must be at least connectTimeoutSeconds (\(connectTimeoutSeconds))")
        try require(backoffBaseSeconds > 0 && backoffBaseSeconds.isFinite, "backoffBaseSeconds", backoffBaseSeconds,
                    "must be a positive number of seconds")
        try require(backoffMaxSeconds >= backoffBaseSeconds && backoffMaxSeconds.isFinite, "backoffMaxSeconds",
                    backoffMaxSeconds, "must be at least backoffBaseSeconds (\(backoffBaseSeconds))")
        try require((1...86_400).contains(retryAfterMaxSeconds), "retryAfterMaxSeconds", retryAfterMaxSeconds,
                    "use 1 to 86400 seconds")
        if let problem = FHIRCanonical.problem(in: canonical.base) {
            throw .invalidSetting(name: "canonical_base", value: canonical.base, reason: problem)
        }
        try require(!identifierSystem.isEmpty, "identifierSystem", "''", "must not be empty")
        try require(!deviceIdentifierSystem.isEmpty, "deviceIdentifierSystem", "''", "must not be empty")
        try require(!patientIdentifierSystem.isEmpty, "patientIdentifierSystem", "''", "must not be empty")
    }

    /// The HTTPS client's options from these settings.
    public var clientOptions: HTTPSClientOptions {
        HTTPSClientOptions(caFile: caFile, clientCertificate: clientCertificate, clientKey: clientKey, proxy: proxy,
                           connectTimeoutSeconds: connectTimeoutSeconds, totalTimeoutSeconds: totalTimeoutSeconds,
                           lowSpeedLimitBytesPerSecond: lowSpeedLimitBytesPerSecond, lowSpeedTimeSeconds: lowSpeedTimeSeconds)
    }

    private func validateURL() throws(UplinkError) {
        if let reason = Self.urlProblem(url) { throw .invalidURL(url: Self.redactedURL(url), reason: reason) }
    }

    /// Why `url` cannot be the data center's endpoint, or nil when it can: it must be an
    /// `https://` URL with a host (plain `http://` only to this machine), without a user name
    /// or password, spaces or control characters. The reason never repeats a password.
    public static func urlProblem(_ url: String) -> String? {
        if let bad = url.unicodeScalars.firstIndex(where: { $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) }) {
            let position = url.unicodeScalars.distance(from: url.unicodeScalars.startIndex, to: bad) + 1
            return "it contains a space or control character (U+" + NumberText.printf("%04X", url.unicodeScalars[bad].value)
                + ") at character \(position); write it on one line without spaces (percent-encode them as %20)"
        }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            return "it is not a valid URL"
        }
        guard parts.user == nil && parts.password == nil else {
            return "it contains a user name or password, which would end up in logs; use a client certificate "
                + "('uplink.client_cert', 'uplink.client_key') instead"
        }
        guard let host = parts.host, !host.isEmpty else {
            return "it names no host"
        }
        switch scheme {
        case "https":
            return nil
        case "http":
            guard isLoopback(host) else {
                return "it must start with https:// (plain http:// is only allowed to this machine: 127.0.0.1, ::1, "
                    + "localhost); readings must travel over https:// to '\(host)'"
            }
            return nil
        default:
            return "it must start with https://"
        }
    }

    /// `url` with any user name and password replaced by `***`, for messages.
    public static func redactedURL(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***" + String(rest[at...])
    }

    /// Whether `host` is `localhost`, an address in 127.0.0.0/8, or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) } == Array(repeating: 0, count: 15) + [1]
        }
        return false
    }
}
