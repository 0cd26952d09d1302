@testable import Daemon
import Foundation
import Logging
import PocGateCore
import Store
import Synchronization
import TestSupport
import Testing
import Uplink

/// `heartbeat.*` and `metrics.*`, and the reporter riding the status publisher's thread in a
/// real gateway.
@Suite("Heartbeat and metrics configuration")
struct FleetConfigTests {
    static let base = """
        uplink:
          url: https://center.example/fhir
        """

    @Test("defaults: a heartbeat every 15 minutes, no metrics file, the format node_exporter reads")
    func defaults() throws {
        let c = try GatewayConfig.parse(Self.base, file: "pocgate.yaml")
        #expect(c.heartbeatIntervalSeconds == 900 && c.metricsTextfile == nil && c.metricsFormat == "prometheus")
        let set = try GatewayConfig.parse(Self.base + """

            heartbeat:
              interval_s: 0
            metrics:
              textfile: /var/lib/prometheus/node-exporter/pocgate.prom
              format: openmetrics
            """, file: "pocgate.yaml")
        #expect(set.heartbeatIntervalSeconds == 0 && set.metricsTextfile == "/var/lib/prometheus/node-exporter/pocgate.prom")
        #expect(set.metricsFormat == "openmetrics")
    }

    @Test("a typo that hammers the center or a file node_exporter never reads is refused at start, naming the key",
          arguments: [
              ("heartbeat:\n  interval_s: 9", "'heartbeat.interval_s' must be 0 (no heartbeat) or at least 60"),
              ("metrics:\n  textfile: pocgate.prom", "'metrics.textfile' must be an absolute path ending in .prom"),
              ("metrics:\n  textfile: /var/lib/prometheus/node-exporter/pocgate.txt", "ending in .prom"),
              ("metrics:\n  format: json", "metrics.format"),
              ("heartbeat:\n  every: 5", "unknown key 'heartbeat.every'"),
          ])
    func refused(extra: String, message: String) {
        #expect {
            _ = try GatewayConfig.parse(Self.base + "\n" + extra + "\n", file: "pocgate.yaml")
        } throws: { error in "\(error)".contains(message) }
    }

    @Test("the heartbeat and metrics never run in the daemon: the status thread sends one at start and writes the file, with no change",
          .timeLimit(.minutes(1)))
    func publisherDrivesTheReporter() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-fleet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = GatewayConfig(uplinkURL: "https://center.example/fhir")
        config.storePath = directory + "/pocgate.db"
        config.profilePaths = [UmockdevHarness.repositoryRoot.path + "/DeviceProfiles"]
        config.metricsTextfile = directory + "/pocgate.prom"
        let lines = LineCapture()
        let gateway = try Gateway(config: config, logger: lines.logger())
        #expect(gateway.heartbeat != nil)
        let sent = Mutex<[Int64]>([])
        let reporter = FleetReporter(read: { () throws(StoreError) -> FleetReport in try gateway.fleetReport() },
                                     send: { @Sendable (_: FleetReport, now: Int64) -> Bool in
                                         sent.withLock { $0.append(now) }
                                         return true
                                     },
                                     metricsFile: MetricsFile(path: config.metricsTextfile!), format: .prometheus,
                                     facts: GatewayFacts(gatewayID: gateway.gatewayID, version: "t", startedAtMillis: 0,
                                                         intervalSeconds: 900),
                                     logger: lines.logger())
        let publisher = StatusPublisher(gateway: gateway, file: StatusFile(path: directory + "/status.json"),
                                        systemd: SystemdChannel(environment: [:]), logger: lines.logger(),
                                        storePath: config.storePath, watchdog: nil, fleet: reporter)
        publisher.start()
        var waited = 0
        while (sent.withLock { $0.isEmpty } || !FileManager.default.fileExists(atPath: config.metricsTextfile!)) && waited < 500 {
            Thread.sleep(forTimeInterval: 0.02)
            waited += 1
        }
        publisher.stop(final: .stopped)
        gateway.stop()
        #expect(sent.withLock { $0.count } == 1)
        let text = try String(contentsOfFile: config.metricsTextfile!, encoding: .utf8)
        #expect(text.contains("pocgate_queue_readings 0") && text.contains("pocgate_heartbeats_total{result=\"sent\"} "))
    }
}

extension FleetConfigTests {
    /// The configuration reader's list of metrics formats is the metrics writer's.
    @Test func theMetricsFormatsTheConfigurationTakesAreTheWritersFormats() {
        #expect(GatewayConfig.metricsFormats == MetricsText.Format.allCases.map(\.rawValue))
    }
}
