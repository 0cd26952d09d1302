public import DeviceProfiles
public import Logging
public import PocGateCore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Uplink

/// The daemon's configuration, read from one YAML file (see docs/CONFIG.md).
/// Unknown keys and bad values stop start-up with the file, line and key named.
public struct GatewayConfig: Sendable, Equatable {
    /// The SQLite database file.
    public var storePath: String = "/var/lib/pocgate/pocgate.db"
    /// The store's cap in MiB (`store.max_size_mb`).
    public var storeMaxSizeMB: Int = 1024
    /// This gateway's id (`gateway.id`); nil = derived from /etc/machine-id or the host name.
    public var gatewayID: String?
    /// Directories (or files) of device profiles, loaded in order.
    public var profilePaths: [String] = ["/usr/share/pocgate/profiles", "/etc/pocgate/profiles"]
    /// Reload the profiles when a file under `profilePaths` changes (`profiles.watch`), as SIGHUP does.
    public var profilesWatch: Bool = true
    /// Quiet time after the last change before the reload (`profiles.watch_debounce_ms`).
    public var profilesWatchDebounceMillis: Int = 1_000
    /// Names of Bluetooth devices by canonical address (`bluetooth.devices`): the kernel's
    /// RFCOMM tty does not carry the name, and profiles may match on it.
    public var bluetoothNames: [String: String] = [:]
    /// The data center's FHIR endpoint; `https://` (plain `http://` only to loopback).
    public var uplinkURL: String
    /// PEM CA bundle that signs the center's certificate; nil = the system store.
    public var uplinkCAFile: String?
    /// IANA zone of the meters' clocks.
    public var timeZone: String = "Asia/Shanghai"
    /// The unit each analyte is sent in (`uplink.units`).
    public var units: UnitPolicy = .chinaDefault
    /// Readings per FHIR transaction.
    public var batchSize: Int = 50
    /// How long a batch may wait to fill, milliseconds.
    public var batchMaxWaitMillis: Int = 2_000
    /// gzip request bodies.
    public var gzip: Bool = true
    /// PEM client certificate for mutual TLS.
    public var clientCertificate: String?
    /// PEM private key of the client certificate.
    public var clientKey: String?
    /// Proxy URL.
    public var proxy: String?
    /// libcurl connect timeout.
    public var connectTimeoutSeconds: Int = 10
    /// libcurl whole-request timeout.
    public var totalTimeoutSeconds: Int = 60
    /// Abort transfers slower than this many bytes/s for `lowSpeedTimeSeconds` (0 = off).
    public var lowSpeedLimitBytesPerSecond: Int = 100
    /// See `lowSpeedLimitBytesPerSecond`.
    public var lowSpeedTimeSeconds: Int = 30
    /// Log threshold.
    public var logLevel: Logger.Level = .info
    /// Where log events go: the journal's native protocol or stderr lines.
    public var logTarget: LogTarget = .auto
    /// The journal's native socket, for `logTarget` `.journal` and `.auto`.
    public var journalSocketPath: String = JournalSocket.defaultPath
    /// Device-time plausibility and skew correction (`clock.*`, docs/CODES.md "Device time").
    public var clock = ClockPolicy()
    /// Who assigns readings to patients (`patients.binding`, docs/CONFIG.md): the data center
    /// (default) or the gateway's device bindings (`pocgate bind`).
    public var patientBinding: PatientBinding = .center
    /// The identifier system of a patient's resident ID in `Observation.subject`
    /// (`patients.identifier_system`).
    public var patientIdentifierSystem: String = "urn:oid:2.16.156.10011.1.3"
    /// The base of pocgate's FHIR extension URLs and identifier systems
    /// (`uplink.canonical_base`, docs/fhir/README.md).
    public var canonicalBase: String = FHIRCanonical.defaultBase
    /// The runtime status file the daemon keeps and `pocgate status` reads.
    public var statusPath: String = "/run/pocgate/status.json"
    /// The longest wait a single `Retry-After` from the data center may impose
    /// (`uplink.retry_after_max_s`); a longer one is cut to it and logged.
    public var retryAfterMaxSeconds: Int = 3600
    /// How often the gateway sends the data center its heartbeat (`heartbeat.interval_s`);
    /// 0 = never. It is also sent at start and when a meter is first seen or a session ends.
    public var heartbeatIntervalSeconds: Int = 900
    /// The node_exporter textfile-collector file the daemon keeps its metrics in
    /// (`metrics.textfile`); nil = no metrics file.
    public var metricsTextfile: String?
    /// The metrics file's format (`metrics.format`): `prometheus` (the text format
    /// node_exporter reads) or `openmetrics`.
    public var metricsFormat: String = "prometheus"

    public init(uplinkURL: String) { self.uplinkURL = uplinkURL }

    /// Reads and validates `file` (at most `ConfigLimits.fileBytes`).
    public static func load(file: String) throws(YAMLIssue) -> GatewayConfig {
        let bytes = try ConfigFile.read(file)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw YAMLIssue(file: ConfigLimits.shown(file), line: 0, column: 0, message: "the configuration file is not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Parses configuration text; `file` names it in errors. Every refusal is one bounded
    /// line (`ConfigLimits.bounded`) with the file, line and column.
    public static func parse(_ text: String, file: String) throws(YAMLIssue) -> GatewayConfig {
        do throws(YAMLIssue) {
            guard text.utf8.count <= ConfigLimits.fileBytes else {
                throw YAMLIssue(file: file, line: 0, column: 0, message: "the configuration is \(text.utf8.count) bytes; "
                                + "the most accepted is \(ConfigLimits.fileBytes) (a full configuration is about 2 KiB)")
            }
            try ConfigFile.checkNesting(text, file: file)
            return try parseChecked(text, file: file)
        } catch {
            throw ConfigLimits.bounded(error)
        }
    }

    private static func parseChecked(_ text: String, file: String) throws(YAMLIssue) -> GatewayConfig {
        let top = try YAMLMap.parse(text, file: file)
        let uplink = try top.map("uplink", required: true)!
        var config = GatewayConfig(uplinkURL: try textValue(uplink, "url", maxBytes: ConfigLimits.urlBytes, required: true,
                                                             shown: UplinkSettings.redactedURL)!)
        if let problem = UplinkSettings.urlProblem(config.uplinkURL) {
            throw uplink.issue("url", "'uplink.url' '\(UplinkSettings.redactedURL(config.uplinkURL))' cannot be used: \(problem)")
        }
        if let ca = try pathValue(uplink, "ca_file") {
            guard FileManager.default.isReadableFile(atPath: ca) else {
                throw uplink.issue("ca_file", "'uplink.ca_file' \(ca) does not exist or is not readable")
            }
            config.uplinkCAFile = ca
        }
        if let tz = try textValue(uplink, "time_zone", maxBytes: ConfigLimits.textBytes) {
            guard ZoneInfo.exists(tz) else {
                throw uplink.issue("time_zone", "'uplink.time_zone' \(tz) is not an IANA time zone (e.g. Asia/Shanghai)")
            }
            config.timeZone = tz
        }
        config.batchSize = try uplink.int("batch_size", in: 1...1000) ?? config.batchSize
        config.batchMaxWaitMillis = try uplink.int("batch_max_wait_ms", in: 0...3_600_000) ?? config.batchMaxWaitMillis
        config.gzip = try uplink.bool("gzip") ?? config.gzip
        config.clientCertificate = try readableFile(uplink, "client_cert")
        config.clientKey = try readableFile(uplink, "client_key")
        if (config.clientCertificate == nil) != (config.clientKey == nil) {
            throw uplink.issue(config.clientCertificate == nil ? "client_key" : "client_cert",
                               "'uplink.client_cert' and 'uplink.client_key' go together: set both (PEM files) or neither")
        }
        if let base = try textValue(uplink, "canonical_base", maxBytes: ConfigLimits.urlBytes) {
            if let problem = FHIRCanonical.problem(in: base) {
                throw uplink.issue("canonical_base", "'uplink.canonical_base' \(problem), not '\(base)'")
            }
            config.canonicalBase = base
        }
        if let proxy = try textValue(uplink, "proxy", maxBytes: ConfigLimits.urlBytes, shown: UplinkSettings.redactedURL) {
            let parts = URLComponents(string: proxy)
            guard ["https", "http"].contains(parts?.scheme?.lowercased() ?? ""), parts?.host?.isEmpty == false,
                  !proxy.contains(" ") else {
                throw uplink.issue("proxy", "'uplink.proxy' must be a proxy URL such as https://proxy.example:3128, "
                                   + "not '\(UplinkSettings.redactedURL(proxy))'")
            }
            config.proxy = proxy
        }
        config.connectTimeoutSeconds = try uplink.int("connect_timeout_s", in: 1...300) ?? config.connectTimeoutSeconds
        config.totalTimeoutSeconds = try uplink.int("total_timeout_s", in: 1...3600) ?? config.totalTimeoutSeconds
        if config.totalTimeoutSeconds < config.connectTimeoutSeconds {
            throw uplink.issue("total_timeout_s", "'uplink.total_timeout_s' (\(config.totalTimeoutSeconds)) must be at least "
                               + "'uplink.connect_timeout_s' (\(config.connectTimeoutSeconds))")
        }
        config.lowSpeedLimitBytesPerSecond = try uplink.int("low_speed_limit_bps", in: 0...100_000_000)
            ?? config.lowSpeedLimitBytesPerSecond
        config.lowSpeedTimeSeconds = try uplink.int("low_speed_time_s", in: 1...3600) ?? config.lowSpeedTimeSeconds
        if let units = try uplink.map("units") {
            config.units = try parseUnits(units)
        }
        if let seconds = try uplink.int("retry_after_max_s", in: 1...86_400) {
            config.retryAfterMaxSeconds = seconds
        }
        try uplink.finish()

        if let store = try top.map("store") {
            config.storePath = try pathValue(store, "path") ?? config.storePath
            config.storeMaxSizeMB = try store.int("max_size_mb", in: 16...1_048_576) ?? config.storeMaxSizeMB
            try store.finish()
        }
        if let gateway = try top.map("gateway") {
            if let id = try textValue(gateway, "id", maxBytes: 64) {
                guard id.count <= 64, id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic
                        || $0.properties.numericType != nil || "-_.".unicodeScalars.contains($0)) }) else {
                    throw gateway.issue("id", "'gateway.id' must be 1–64 characters of A–Z, a–z, 0–9, '-', '_' or '.', not '\(id)'")
                }
                config.gatewayID = id
            }
            try gateway.finish()
        }
        if let profiles = try top.map("profiles") {
            config.profilePaths = try pathList(profiles, "paths", maxItems: ConfigLimits.profilePaths) ?? config.profilePaths
            config.profilesWatch = try profiles.bool("watch") ?? config.profilesWatch
            config.profilesWatchDebounceMillis = try profiles.int("watch_debounce_ms", in: 50...60_000)
                ?? config.profilesWatchDebounceMillis
            try profiles.finish()
        }
        if let bluetooth = try top.map("bluetooth") {
            config.bluetoothNames = try parseBluetoothDevices(bluetooth)
            try bluetooth.finish()
        }
        if let log = try top.map("log") {
            if let level = try log.choice("level", from: ["debug", "info", "notice", "warning", "error"]) {
                config.logLevel = Logger.Level(rawValue: level)!
            }
            if let target = try log.choice("target", from: LogTarget.allCases.map(\.rawValue)) {
                config.logTarget = LogTarget(rawValue: target)!
            }
            if let socket = try textValue(log, "journal_socket", maxBytes: 107) {
                guard socket.hasPrefix("/") || socket.hasPrefix("@") else {
                    throw log.issue("journal_socket", "'log.journal_socket' must be an absolute path (or @name for an abstract socket)")
                }
                config.journalSocketPath = socket
            }
            try log.finish()
        }
        if let clock = try top.map("clock") {
            config.clock.earliestYear = try clock.int("earliest_year", in: 1990...2100) ?? config.clock.earliestYear
            if let hours = try clock.int("future_tolerance_h", in: 0...8760) {
                config.clock.futureToleranceSeconds = Int64(hours) * 3600
            }
            if let seconds = try clock.int("skew_tolerance_s", in: 0...86_400) {
                config.clock.skewToleranceSeconds = Int64(seconds)
            }
            try clock.finish()
        }
        if let patients = try top.map("patients") {
            if let binding = try patients.choice("binding", from: PatientBinding.allCases.map(\.rawValue)) {
                config.patientBinding = PatientBinding(rawValue: binding)!
            }
            if let system = try textValue(patients, "identifier_system", maxBytes: ConfigLimits.urlBytes) {
                guard system.hasPrefix("urn:") || system.hasPrefix("http://") || system.hasPrefix("https://"),
                      !system.contains(where: { $0 == " " || $0 == "|" }) else {
                    throw patients.issue("identifier_system",
                                         "'patients.identifier_system' must be a URI (urn:oid:…, https://…) without spaces or '|', not '\(system)'")
                }
                config.patientIdentifierSystem = system
            }
            try patients.finish()
        }
        if let status = try top.map("status") {
            if let path = try pathValue(status, "path") {
                guard path.hasPrefix("/"), !path.hasSuffix("/") else {
                    throw status.issue("path", "'status.path' must be an absolute file path, e.g. /run/pocgate/status.json")
                }
                config.statusPath = path
            }
            try status.finish()
        }
        try parseFleet(top, into: &config)
        try top.finish()
        return config
    }

    private static func readableFile(_ map: YAMLMap, _ key: String) throws(YAMLIssue) -> String? {
        guard let path = try pathValue(map, key) else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw map.issue(key, "'\(map.path).\(key)' \(path) does not exist or is not readable")
        }
        return path
    }
}
