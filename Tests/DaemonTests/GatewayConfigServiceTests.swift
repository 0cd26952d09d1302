import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Testing
import TestSupport

/// The `log.target`, `log.journal_socket` and `status.path` keys.
@Suite struct GatewayConfigServiceTests {
    static let base = """
        uplink:
          url: https://center.example/fhir
        """

    @Test func defaults() throws {
        let c = try GatewayConfig.parse(Self.base, file: "c.yaml")
        #expect(c.logTarget == .auto)
        #expect(c.journalSocketPath == "/run/systemd/journal/socket")
        #expect(c.statusPath == "/run/pocgate/status.json")
    }

    @Test func readsTheServiceKeys() throws {
        let c = try GatewayConfig.parse(Self.base + """

            log:
              target: journal
              journal_socket: /run/test/journal.sock
            status:
              path: /var/lib/pocgate/status.json
            """, file: "c.yaml")
        #expect(c.logTarget == .journal)
        #expect(c.journalSocketPath == "/run/test/journal.sock")
        #expect(c.statusPath == "/var/lib/pocgate/status.json")
    }

    @Test(arguments: [
        ("log:\n  target: syslog", "must be one of"),
        ("log:\n  journal_socket: journal.sock", "absolute path"),
        ("status:\n  path: status.json", "absolute file path"),
        ("status:\n  path: /run/pocgate/", "absolute file path"),
        ("status:\n  file: /run/x.json", "unknown key 'status.file'"),
    ])
    func refusesBadValuesWithFileAndLine(addition: String, expected: String) {
        #expect {
            _ = try GatewayConfig.parse(Self.base + "\n" + addition, file: "/etc/pocgate/pocgate.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("/etc/pocgate/pocgate.yaml:3:") || text.hasPrefix("/etc/pocgate/pocgate.yaml:4:")
                ? text.contains(expected) : false
        }
    }

    @Test func theShippedExampleIsAccepted() throws {
        let path = UmockdevHarness.repositoryRoot.path + "/docs/pocgate.example.yaml"
        let c = try GatewayConfig.load(file: path)
        #expect(c.storePath == "/var/lib/pocgate/pocgate.db" && c.statusPath == "/run/pocgate/status.json")
    }
}
