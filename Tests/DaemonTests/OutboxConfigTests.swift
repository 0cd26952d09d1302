import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import Foundation
import Testing

@Suite struct OutboxConfigTests {
    static let base = """
        uplink:
          url: https://center.example/fhir
        """

    @Test func defaults() throws {
        let c = try GatewayConfig.parse(Self.base, file: "c.yaml")
        #expect(c.storeMaxSizeMB == 1024 && c.gatewayID == nil)
        #expect(c.batchMaxWaitMillis == 2_000 && c.gzip)
        #expect(c.lowSpeedLimitBytesPerSecond == 100 && c.lowSpeedTimeSeconds == 30)
        #expect(c.clientCertificate == nil && c.clientKey == nil && c.proxy == nil)
        #expect(c.uplinkSettings.batchMaxWaitMillis == 2_000 && c.uplinkSettings.gzip)
    }

    @Test func everyNewKeyIsRead() throws {
        let text = """
            gateway:
              id: clinic-7.gw_1
            store:
              path: /tmp/x.db
              max_size_mb: 64
            uplink:
              url: https://center.example/fhir
              batch_size: 20
              batch_max_wait_ms: 500
              gzip: false
              client_cert: /etc/hostname
              client_key: /etc/hostname
              proxy: https://proxy.example:3128
              connect_timeout_s: 5
              total_timeout_s: 20
              low_speed_limit_bps: 10
              low_speed_time_s: 7
            """
        let c = try GatewayConfig.parse(text, file: "c.yaml")
        #expect(c.gatewayID == "clinic-7.gw_1" && c.storeMaxSizeMB == 64)
        #expect(c.batchMaxWaitMillis == 500 && !c.gzip && c.proxy == "https://proxy.example:3128")
        #expect(c.clientCertificate == "/etc/hostname" && c.clientKey == "/etc/hostname")
        #expect(c.connectTimeoutSeconds == 5 && c.totalTimeoutSeconds == 20)
        #expect(c.lowSpeedLimitBytesPerSecond == 10 && c.lowSpeedTimeSeconds == 7)
        let s = c.uplinkSettings
        #expect(s.clientOptions.proxy == "https://proxy.example:3128" && s.clientOptions.lowSpeedTimeSeconds == 7)
    }

    @Test(arguments: [
        ("uplink:\n  url: https://c.example/\n  client_cert: /etc/hostname\n", "go together"),
        ("uplink:\n  url: https://c.example/\n  client_key: /nonexistent/key.pem\n", "does not exist"),
        ("uplink:\n  url: https://c.example/\n  proxy: socks5://p:1\n", "proxy URL"),
        ("uplink:\n  url: https://c.example/\n  gzip: maybe\n", "true or false"),
        ("uplink:\n  url: https://c.example/\n  connect_timeout_s: 30\n  total_timeout_s: 10\n", "at least"),
        ("uplink:\n  url: https://c.example/\n  batch_max_wait_ms: -1\n", "whole number"),
        ("uplink:\n  url: https://c.example/\nstore:\n  max_size_mb: 1\n", "whole number from 16"),
        ("uplink:\n  url: https://c.example/\ngateway:\n  id: has space\n", "gateway.id"),
        ("uplink:\n  url: https://c.example/\ngateway:\n  name: x\n", "unknown key 'gateway.name'"),
    ])
    func badValuesNameFileAndLine(_ text: String, _ expected: String) {
        #expect {
            _ = try GatewayConfig.parse(text, file: "c.yaml")
        } throws: { error in
            "\(error)".contains(expected) && "\(error)".hasPrefix("c.yaml:")
        }
    }

    @Test func theGatewayIDIsDerivedFromTheMachineIDWithoutRevealingIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("machine-id-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "0123456789abcdef0123456789abcdef\n".write(toFile: file, atomically: true, encoding: .utf8)
        let id = GatewayIdentity.resolve(configured: nil, machineIDFile: file)
        #expect(id.hasPrefix("gw-") && id.count == 19 && !id.contains("0123456789abcdef"))
        #expect(GatewayIdentity.resolve(configured: nil, machineIDFile: file) == id)
        #expect(GatewayIdentity.resolve(configured: "mine", machineIDFile: file) == "mine")
        #expect(!GatewayIdentity.resolve(configured: nil, machineIDFile: "/nonexistent").isEmpty)
    }
}
