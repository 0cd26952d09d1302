import PocGateCore
import Daemon
import Sessions
import CTimex
import DeviceProfiles
import FoundationEssentials
import Uplink
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate check`: everything the daemon needs before it starts, checked read-only — the
/// configuration, the profiles, the store's and the signing key's files, the clock, the CA,
/// the client certificate and the proxy — each finding with its fix. Changes nothing.
public struct GatewayCheck {
    /// The service user whose files the store's must be, when it exists on this box.
    public var serviceUser = "pocgate"
    /// Asks the kernel whether the clock is synchronised (`ntp_adjtime`); replaceable in tests.
    public var clockSynchronised: () -> Bool? = GatewayCheck.kernelClockSynchronised

    public init() {}

    /// Runs every check for the configuration at `configPath`.
    public func run(configPath: String) -> [CheckFinding] {
        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(file: configPath)
        } catch {
            let cause = CheckFinding.Cause(rawValue: ExitStatus.configRefused(path: configPath).rawValue) ?? .configuration
            return [.failed("configuration", "\(error)", cause)]
        }
        var findings: [CheckFinding] = [.ok("configuration", "\(configPath) is valid")]
        findings.append(configurationMode(configPath))
        findings += config.unfinishedSetup.map { .failed("setup", $0, .configuration) }
        findings += profiles(config)
        findings += store(config)
        findings.append(clock())
        findings += tls(config)
        return findings
    }

    /// The exit code for `findings`: 0 when nothing failed, else the most telling sysexits code
    /// among the failures (configuration before permission before missing input).
    public static func exitCode(_ findings: [CheckFinding]) -> Int32 {
        let causes = Set(findings.compactMap(\.cause))
        for cause in [CheckFinding.Cause.configuration, .permission, .noInput] where causes.contains(cause) {
            return cause.rawValue
        }
        return 0
    }

    /// The findings as aligned lines for a terminal.
    public static func text(_ findings: [CheckFinding]) -> String {
        let width = findings.map(\.subject.count).max() ?? 0
        return findings.map { finding in
            let verdict = padded(finding.verdict.description, 7)
            return "\(verdict) \(padded(finding.subject, width))  \(finding.detail)"
        }.joined(separator: "\n")
    }

    /// `text` cut or padded with spaces to `width` characters.
    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }

    // MARK: - Checks

    private func configurationMode(_ path: String) -> CheckFinding {
        var st = stat()
        guard stat(path, &st) == 0 else { return .ok("configuration mode", "not inspected") }
        if st.st_mode & S_IROTH != 0 || st.st_mode & S_IWOTH != 0 {
            return .failed("configuration mode", "\(path) is readable by every user (mode \(Self.octal(st.st_mode))): "
                           + "chmod 0640 \(path); chown root:\(serviceUser) \(path)", .permission)
        }
        return .ok("configuration mode", "mode \(Self.octal(st.st_mode))")
    }

    private func profiles(_ config: GatewayConfig) -> [CheckFinding] {
        let (catalog, issues) = ProfileCatalog.load(directories: config.profilePaths, families: .builtIn)
        var findings: [CheckFinding] = issues.map { .failed("profile", "\($0)", .configuration) }
        if catalog.profiles.isEmpty {
            findings.append(.failed("profiles", "no profile loaded from \(config.profilePaths.joined(separator: ", ")): "
                                    + "no device would be read; check profiles.paths", .configuration))
        } else {
            findings.append(.ok("profiles", "\(catalog.profiles.count) loaded from \(config.profilePaths.joined(separator: ", "))"))
        }
        return findings
    }

    private func store(_ config: GatewayConfig) -> [CheckFinding] {
        let path = config.storePath
        let directory = PathText.directory(of: path).isEmpty ? "." : PathText.directory(of: path)
        var findings: [CheckFinding] = []
        var st = stat()
        guard lstat(directory, &st) == 0 else {
            return [.failed("store", "the store's directory \(directory) does not exist: create it "
                            + "(install -d -o \(serviceUser) -g \(serviceUser) -m 0700 \(directory))", .noInput)]
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            return [.failed("store", "\(directory) is not a directory (a symbolic link or a file): the store must live "
                            + "in a real directory the service user owns", .permission)]
        }
        if st.st_mode & (S_IWOTH | S_IWGRP) != 0 {
            findings.append(.failed("store", "\(directory) is writable by others (mode \(Self.octal(st.st_mode))): "
                                    + "chmod 0700 \(directory)", .permission))
        }
        if let owner = Self.uid(of: serviceUser), st.st_uid != owner {
            findings.append(.failed("store", "\(directory) is not owned by \(serviceUser): chown \(serviceUser):\(serviceUser) \(directory)",
                                    .permission))
        }
        for (file, label) in [(path, "database"), (path + "-wal", "database WAL"), (path + "-shm", "database shared memory"),
                              (path + "-journal", "database journal"), (GatewayKey.defaultPath(forStore: path), "signing key")] {
            if let finding = privateFile(file, label: label) { findings.append(finding) }
        }
        if findings.isEmpty {
            findings.append(.ok("store", "\(directory): directory and files private to the service user"))
        }
        return findings
    }

    /// A file that must be a regular file (never a link) readable by its owner alone; nil when it
    /// does not exist yet.
    private func privateFile(_ file: String, label: String) -> CheckFinding? {
        var st = stat()
        guard lstat(file, &st) == 0 else { return nil }
        guard st.st_mode & S_IFMT == S_IFREG else {
            return .failed("store", "the \(label) \(file) is not a regular file (a symbolic link or a device): remove it; "
                           + "pocgate never follows a link there", .permission)
        }
        if st.st_mode & 0o077 != 0 {
            return .failed("store", "the \(label) \(file) has mode \(Self.octal(st.st_mode)): chmod 0600 \(file)", .permission)
        }
        if let owner = Self.uid(of: serviceUser), st.st_uid != owner {
            return .failed("store", "the \(label) \(file) is not owned by \(serviceUser), so the daemon cannot open it: "
                           + "chown \(serviceUser):\(serviceUser) \(file)", .permission)
        }
        return nil
    }

    private func clock() -> CheckFinding {
        switch clockSynchronised() {
        case true?:
            return .ok("clock", "synchronised")
        case false?:
            return .warning("clock", "the system clock is not synchronised: TLS certificates and reading times depend "
                            + "on it; enable time sync (timedatectl set-ntp true) and check the network's NTP server")
        case nil:
            return .warning("clock", "could not ask the kernel whether the clock is synchronised")
        }
    }

    private func tls(_ config: GatewayConfig) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        if let ca = config.uplinkCAFile {
            findings.append(pem(ca, subject: "ca file", key: "uplink.ca_file", marker: "-----BEGIN CERTIFICATE-----"))
        } else {
            findings.append(.ok("ca file", "the system's CA store (uplink.ca_file not set)"))
        }
        switch (config.clientCertificate, config.clientKey) {
        case let (cert?, key?):
            findings.append(pem(cert, subject: "client certificate", key: "uplink.client_cert", marker: "-----BEGIN CERTIFICATE-----"))
            findings.append(pem(key, subject: "client key", key: "uplink.client_key", marker: "PRIVATE KEY-----"))
            var st = stat()
            if stat(key, &st) == 0, st.st_mode & 0o007 != 0 {
                findings.append(.failed("client key", "\(key) is readable by every user (mode \(Self.octal(st.st_mode))): "
                                        + "chmod 0640 \(key); chown root:\(serviceUser) \(key)", .permission))
            }
        case (nil, nil):
            findings.append(.ok("client certificate", "none (no mutual TLS)"))
        default:
            findings.append(.failed("client certificate", "uplink.client_cert and uplink.client_key go together: set both or neither",
                                    .configuration))
        }
        if let proxy = config.proxy {
            let scheme = proxy.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            if ["http", "https", "socks5", "socks5h", "socks4", "socks4a"].contains(scheme), proxy.contains("://") {
                findings.append(.ok("proxy", proxy))
            } else {
                findings.append(.failed("proxy", "uplink.proxy '\(proxy)' is not an http://, https:// or socks5:// URL",
                                        .configuration))
            }
        }
        return findings
    }

    private func pem(_ path: String, subject: String, key: String, marker: String) -> CheckFinding {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failed(subject, "\(key) names \(path), which cannot be read (missing, or no permission)", .noInput)
        }
        guard data.count <= 1 << 20, String(decoding: data, as: UTF8.self).contains(marker) else {
            return .failed(subject, "\(path) (\(key)) is not a PEM file with \(String(marker.drop(while: { $0 == "-" }).reversed().drop(while: { $0 == "-" }).reversed()))",
                           .configuration)
        }
        return .ok(subject, path)
    }

    // MARK: - Helpers

    private static func octal(_ mode: mode_t) -> String { "0" + String(mode & 0o7777, radix: 8) }

    private static func uid(of user: String) -> uid_t? {
        guard let entry = getpwnam(user) else { return nil }
        return entry.pointee.pw_uid
    }

    /// The kernel's view (adjtimex): nil when it cannot be asked.
    public static func kernelClockSynchronised() -> Bool? {
        switch pg_clock_synchronised() {
        case 1: return true
        case 0: return false
        default: return nil
        }
    }
}
