import Tools
import Sessions
import Transports
import Daemon
import Foundation
import Testing
import TestSupport

/// A province installs the same package on a thousand boxes: each must report as itself, and a
/// box still holding the example's placeholders must not look healthy.
@Suite struct GatewayIdentityTests {
    static let shippedConfig = UmockdevHarness.repositoryRoot.path + "/docs/pocgate.example.yaml"

    private func machineIDFile(_ id: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("machine-id-\(UUID().uuidString)").path
        try (id + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("two boxes installed from one package (two machine-ids) report two gateway ids")
    func twoBoxesFromOnePackageReportTwoGatewayIDs() throws {
        let config = try GatewayConfig.load(file: Self.shippedConfig)
        #expect(config.gatewayID == nil, "the shipped configuration must not fix a gateway id for every box")
        let first = GatewayIdentity.resolve(configured: config.gatewayID,
                                            machineIDFile: try machineIDFile("0f1e2d3c4b5a69788796a5b4c3d2e1f0"))
        let second = GatewayIdentity.resolve(configured: config.gatewayID,
                                             machineIDFile: try machineIDFile("a1b2c3d4e5f60718293a4b5c6d7e8f90"))
        #expect(first != second)
        #expect(first.hasPrefix("gw-") && first.count == 19)
    }

    @Test("an unconfigured box (the example uplink URL) needs attention, with the fix")
    func anUnconfiguredBoxNeedsAttention() throws {
        let config = try GatewayConfig.load(file: Self.shippedConfig)
        let sentences = config.unfinishedSetup
        #expect(sentences.count == 1)
        #expect(sentences.first?.contains("uplink.url") == true)
        let report = StatusReport.gather(config: config, maxAge: .seconds(86_400))
        #expect(report.health == .attention)
        #expect(report.problems.contains { $0.contains("uplink.url is still the placeholder") })
    }

    @Test("a placeholder gateway id copied onto many boxes needs attention", arguments: ["clinic-mengla-01", "Gateway", "gw-unknown"])
    func aPlaceholderGatewayIDNeedsAttention(id: String) throws {
        var config = try GatewayConfig.parse("uplink:\n  url: https://center.example.cn/fhir\n", file: "pocgate.yaml")
        #expect(config.unfinishedSetup.isEmpty)
        config.gatewayID = id
        #expect(config.unfinishedSetup.count == 1)
        #expect(config.unfinishedSetup.first?.contains("gateway.id is '\(id)'") == true)
    }

    @Test("a configured box with its own id has no unfinished setup", arguments: [
        "https://fhir.center.gov.cn/fhir", "https://fhir.hz.example.cn:8443/fhir", "http://127.0.0.1:8080/fhir",
    ])
    func aConfiguredBoxHasNoUnfinishedSetup(url: String) throws {
        var config = try GatewayConfig.parse("uplink:\n  url: \(url)\n", file: "pocgate.yaml")
        config.gatewayID = "hz-clinic-0412"
        #expect(config.unfinishedSetup.isEmpty)
    }

    @Test("placeholder hosts under .invalid are recognised however the URL is written", arguments: [
        "https://fhir.center.invalid/fhir", "https://FHIR.CENTER.INVALID./fhir", "https://center.invalid:443/x?y=1",
    ])
    func placeholderHostsAreRecognised(url: String) throws {
        let config = try GatewayConfig.parse("uplink:\n  url: \(url)\n", file: "pocgate.yaml")
        #expect(config.unfinishedSetup.count == 1)
    }
}
