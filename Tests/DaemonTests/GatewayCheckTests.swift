import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `pocgate check` on a box laid out in a temporary directory: each problem is found, named
/// with its fix and reported with the sysexits code of its cause; nothing is changed.
@Suite struct GatewayCheckTests {
    /// A box: configuration, store directory and a profile directory, all as the package lays them out.
    struct Box {
        let root: String
        var config: String { root + "/pocgate.yaml" }
        var storeDirectory: String { root + "/state" }
        var store: String { storeDirectory + "/pocgate.db" }

        init(uplink: String = "https://fhir.hz.example.cn/fhir", extra: String = "") throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/state", withIntermediateDirectories: true)
            chmod(root + "/state", 0o700)
            let profiles = UmockdevHarness.repositoryRoot.path + "/DeviceProfiles"
            try """
                store:
                  path: \(root)/state/pocgate.db
                profiles:
                  paths: [\(profiles)]
                uplink:
                  url: \(uplink)
                \(extra)
                """.write(toFile: config, atomically: true, encoding: .utf8)
            chmod(config, 0o640)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        func findings() -> [CheckFinding] {
            var check = GatewayCheck()
            check.serviceUser = "pocgate-check-test-nobody"
            check.clockSynchronised = { true }
            return check.run(configPath: config)
        }
    }

    @Test("a box laid out as the package does is ready: exit 0, and check changes no file")
    func aWellLaidOutBoxIsReady() throws {
        let box = try Box()
        defer { box.remove() }
        let before = try FileManager.default.contentsOfDirectory(atPath: box.storeDirectory)
        let findings = box.findings()
        #expect(GatewayCheck.exitCode(findings) == 0, "\(GatewayCheck.text(findings))")
        #expect(findings.contains { $0.subject == "profiles" && $0.verdict == .ok })
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.storeDirectory) == before,
                "check must not create the store")
    }

    @Test("the example's uplink URL is unfinished setup: exit 78 with the fix")
    func thePlaceholderUplinkFailsAsConfiguration() throws {
        let box = try Box(uplink: "https://fhir.center.invalid/fhir")
        defer { box.remove() }
        let findings = box.findings()
        #expect(GatewayCheck.exitCode(findings) == 78)
        #expect(findings.contains { $0.subject == "setup" && $0.detail.contains("uplink.url") })
    }

    @Test("a configuration readable by every user: exit 77, chmod 0640 named")
    func aWorldReadableConfigurationFailsAsPermission() throws {
        let box = try Box()
        defer { box.remove() }
        chmod(box.config, 0o644)
        let findings = box.findings()
        #expect(GatewayCheck.exitCode(findings) == 77)
        #expect(findings.contains { $0.verdict == .failed && $0.detail.contains("chmod 0640") })
    }

    @Test("a signing key restored with mode 0644: exit 77, chmod 0600 named")
    func aReadableSigningKeyFailsAsPermission() throws {
        let box = try Box()
        defer { box.remove() }
        _ = FileManager.default.createFile(atPath: box.storeDirectory + "/gateway.key", contents: Data("key".utf8),
                                       attributes: [.posixPermissions: 0o644])
        let findings = box.findings()
        #expect(GatewayCheck.exitCode(findings) == 77)
        #expect(findings.contains { $0.detail.contains("signing key") && $0.detail.contains("chmod 0600") })
    }

    @Test("a -wal file planted as a symbolic link is refused, never followed")
    func aSymlinkedWALFailsAsPermission() throws {
        let box = try Box()
        defer { box.remove() }
        try FileManager.default.createSymbolicLink(atPath: box.store + "-wal", withDestinationPath: "/etc/passwd")
        let findings = box.findings()
        #expect(GatewayCheck.exitCode(findings) == 77)
        #expect(findings.contains { $0.detail.contains("not a regular file") })
    }

    @Test("a store directory that does not exist: exit 66 with the install command")
    func aMissingStoreDirectoryIsNoInput() throws {
        let box = try Box()
        defer { box.remove() }
        try FileManager.default.removeItem(atPath: box.storeDirectory)
        let findings = box.findings()
        #expect(GatewayCheck.exitCode(findings) == 66)
        #expect(findings.contains { $0.detail.contains("install -d") })
    }

    @Test("a CA file that is missing is refused with its place, as `run` refuses it (78); one that is not PEM is 78")
    func caFilesAreChecked() throws {
        let missing = try Box(extra: "  ca_file: /nonexistent/center-ca.pem")
        defer { missing.remove() }
        let refused = missing.findings()
        #expect(GatewayCheck.exitCode(refused) == 78)
        #expect(refused.first?.detail.contains("pocgate.yaml:7:") == true, "\(refused)")

        let box = try Box(extra: "  ca_file: CA")
        defer { box.remove() }
        let ca = box.root + "/ca.pem"
        try "not a certificate".write(toFile: ca, atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: box.config, encoding: .utf8).replacingOccurrences(of: "ca_file: CA", with: "ca_file: \(ca)")
        try text.write(toFile: box.config, atomically: true, encoding: .utf8)
        chmod(box.config, 0o640)
        #expect(GatewayCheck.exitCode(box.findings()) == 78)
    }

    @Test("a broken profile in profiles.paths: exit 78 with its file:line:column")
    func aBrokenProfileFailsWithItsPlace() throws {
        let box = try Box()
        defer { box.remove() }
        let profiles = box.root + "/profiles"
        try FileManager.default.createDirectory(atPath: profiles + "/acme/broken", withIntermediateDirectories: true)
        try "id: acme-broken\nprotocol: no-such-protocol\n".write(toFile: profiles + "/acme/broken/profile.yaml",
                                                                 atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: box.config, encoding: .utf8)
            .replacingOccurrences(of: "paths: [", with: "paths: [\(profiles), ")
        try text.write(toFile: box.config, atomically: true, encoding: .utf8)
        chmod(box.config, 0o640)
        let findings = box.findings()
        #expect(GatewayCheck.exitCode(findings) == 78)
        #expect(findings.contains { $0.subject == "profile" && $0.detail.contains("broken/profile.yaml:") })
    }

    @Test("an unsynchronised clock is a warning with the fix, not a failure")
    func anUnsynchronisedClockIsAWarning() throws {
        let box = try Box()
        defer { box.remove() }
        var check = GatewayCheck()
        check.serviceUser = "pocgate-check-test-nobody"
        check.clockSynchronised = { false }
        let findings = check.run(configPath: box.config)
        #expect(GatewayCheck.exitCode(findings) == 0)
        #expect(findings.contains { $0.subject == "clock" && $0.verdict == .warning && $0.detail.contains("timedatectl") })
    }

    @Test("a configuration that cannot be read is 66; one with a bad value is 78")
    func configurationFailures() throws {
        var check = GatewayCheck()
        check.clockSynchronised = { true }
        #expect(GatewayCheck.exitCode(check.run(configPath: "/nonexistent/pocgate.yaml")) == 66)
        let box = try Box(uplink: "ftp://center.example.cn/fhir")
        defer { box.remove() }
        #expect(GatewayCheck.exitCode(box.findings()) == 78)
    }
}
