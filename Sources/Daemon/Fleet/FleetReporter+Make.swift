import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
package import Logging
import PocGateCore
import Store
import Uplink

package extension FleetReporter {
    /// The reporter for `config` on `gateway`: heartbeat every `heartbeat.interval_s`
    /// (none at 0), metrics in `metrics.textfile` (none unset); nil when both are off.
    static func make(config: GatewayConfig, gateway: Gateway, logger: Logger,
                     startedAtMillis: Int64 = WallClock.millis()) -> FleetReporter? {
        let sender = gateway.heartbeat
        guard sender != nil || config.metricsTextfile != nil else { return nil }
        let facts = GatewayFacts(gatewayID: gateway.gatewayID, version: PocGateVersion.text, startedAtMillis: startedAtMillis,
                                 intervalSeconds: config.heartbeatIntervalSeconds)
        var send: (@Sendable (FleetReport, Int64) -> Bool)?
        if let sender {
            send = { @Sendable (report: FleetReport, now: Int64) -> Bool in
                sender.send(report: report, facts: facts, nowMillis: now) == nil
            }
        }
        // The counts by kind, profile and outcome cost a pass over every reading: only the metrics file shows them.
        let counts = config.metricsTextfile != nil
        return FleetReporter(read: { () throws(StoreError) -> FleetReport in try gateway.fleetReport(counts: counts) }, send: send,
                             metricsFile: config.metricsTextfile.map(MetricsFile.init(path:)),
                             format: MetricsText.Format(rawValue: config.metricsFormat) ?? .prometheus, facts: facts,
                             logger: logger)
    }
}
