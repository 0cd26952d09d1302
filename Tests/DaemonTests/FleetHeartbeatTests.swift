import Foundation
import Logging
import PocGateCore
import Store
import TestSupport
import Testing
@testable import Uplink

/// The heartbeat (docs/fhir/README.md, "Heartbeat") against the test FHIR receiver: what it
/// carries, that it validates as FHIR R4, its signature, its failures, and the center's view
/// of a silent gateway.
@Suite("Heartbeat to the data center", .serialized)
struct FleetHeartbeatTests {
    static let key = GatewayKey(privateKey: Ed25519PrivateKey())
    static let signer = BatchSigner(gatewayID: "gw-test", key: key)
    /// 2024-06-15T00:30:00Z.
    static let now: Int64 = 1_718_411_400_000
    static let facts = GatewayFacts(gatewayID: "gw-test", version: PocGateVersion.text, startedAtMillis: now - 3_600_000,
                                    intervalSeconds: 900)

    static func sender(_ receiver: HTTPSReceiver, lines: LineCapture) throws -> HeartbeatSender {
        try HeartbeatSender(settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile), signer: signer,
                            logger: lines.logger())
    }

    /// The extension values of a Device, by the name ending their URL.
    static func extensions(_ device: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        for ext in device["extension"] as? [[String: Any]] ?? [] {
            let name = (ext["url"] as? String ?? "").split(separator: "/").last.map(String.init) ?? ""
            out[name] = ext["valueInteger"] ?? ext["valueDateTime"] ?? ext["valueString"]
                ?? (ext["valueQuantity"] as? [String: Any])?["value"]
        }
        return out
    }

    @Test("a center blind to gateway health: the heartbeat reaches the receiver, validates as R4 and carries the store's counts",
          .enabled(if: R4BValidator.isAvailable, "needs /usr/bin/python3 with fhir.resources"))
    func heartbeatCarriesTheStore() throws {
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        let receiver = try HTTPSReceiver()
        defer { receiver.stop() }
        let lines = LineCapture()
        let report = try fixture.store.fleetReport()
        #expect(try Self.sender(receiver, lines: lines).send(report: report, facts: Self.facts, nowMillis: Self.now) == nil)

        let request = try #require(receiver.requests().first)
        #expect(request.status == 200 && receiver.requestCount() == 1)
        #expect(request.headers["x-pocgate-heartbeat"] == String(Self.now) && request.headers["x-pocgate-gateway"] == "gw-test")
        let body = Array(request.body.utf8)
        #expect(try R4BValidator.problems(body) == nil)
        let signature = try #require(request.headers["x-pocgate-signature"])
        #expect(BatchSigner.isValidHeartbeat(signature: signature, publicKey: Self.key.privateKey.publicKey, gatewayID: "gw-test",
                                             sentAtMillis: Self.now, bodySHA256: BatchSigner.sha256Hex(body)))
        #expect(!BatchSigner.isValidHeartbeat(signature: signature, publicKey: Self.key.privateKey.publicKey, gatewayID: "gw-test",
                                              sentAtMillis: Self.now + 1, bodySHA256: BatchSigner.sha256Hex(body)),
                "a replayed heartbeat under another time must not verify")

        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        #expect(entries.count == 3)
        let requests = entries.compactMap { $0["request"] as? [String: Any] }
        #expect(requests.allSatisfy { $0["method"] as? String == "PUT" && ($0["url"] as? String ?? "").hasPrefix("Device?identifier=") })
        let gateway = try #require(entries.first?["resource"] as? [String: Any])
        #expect((gateway["identifier"] as? [[String: Any]])?.first?["value"] as? String == "gw-test")
        #expect((gateway["version"] as? [[String: Any]])?.first?["value"] as? String == PocGateVersion.text)
        let g = Self.extensions(gateway)
        #expect(g["queue-depth"] as? Int == 1 && g["held-readings"] as? Int == 1 && g["dead-letters"] as? Int == 1)
        #expect(g["gateway-uptime"] as? Int == 3600 && g["heartbeat-interval"] as? Int == 900)
        #expect(g["oldest-pending-age"] as? Int == 1740)
        #expect(g["last-upload"] as? String == "2024-06-15T00:06:00.000Z")
        #expect(g["heartbeat-time"] as? String == "2024-06-15T00:30:00.000Z")
        #expect(g["store-used"] as? Int == Int(report.usedBytes) && g["store-headroom"] as? Int == Int(16 * 1_048_576 - report.usedBytes))

        let meters = entries.dropFirst().compactMap { $0["resource"] as? [String: Any] }
        let a = try #require(meters.first { $0["serialNumber"] as? String == "METER-A" })
        let ea = Self.extensions(a)
        #expect(ea["meter-profile"] as? String == "taidoc-td4277" && ea["last-session-outcome"] as? String == "complete")
        #expect(ea["last-reading"] as? String == "2024-06-15T00:04:00.000Z" && ea["clock-offset"] as? Int == Int(fixture.heldOffset))
        #expect((a["parent"] as? [String: Any])?["reference"] as? String == entries.first?["fullUrl"] as? String)
        let b = try #require(meters.first { $0["serialNumber"] as? String == "METER-B" })
        let eb = Self.extensions(b)
        #expect(eb["meter-profile"] as? String == "generic-astm-poct" && eb["last-session-outcome"] == nil && eb["last-reading"] == nil)
        #expect(b["deviceName"] == nil, "a meter that reported no model gets no empty deviceName")
    }

    @Test("a dead box looks like a quiet clinic: the center lists a gateway as silent once its interval passes without a heartbeat")
    func silentGatewayIsListed() throws {
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        let receiver = try HTTPSReceiver(options: { var o = HTTPSReceiver.Options(); o.validate = false; return o }())
        defer { receiver.stop() }
        let sender = try Self.sender(receiver, lines: LineCapture())
        let report = try fixture.store.fleetReport()
        #expect(sender.send(report: report, facts: Self.facts, nowMillis: Self.now) == nil)
        var other = Self.facts
        other.gatewayID = "gw-other"
        other.intervalSeconds = 3600
        let otherSender = try HeartbeatSender(settings: UplinkSettings(url: receiver.url, caFile: receiver.caFile),
                                              signer: BatchSigner(gatewayID: "gw-other", key: Self.key), logger: LineCapture().logger())
        #expect(otherSender.send(report: report, facts: other, nowMillis: Self.now) == nil)

        var ledger = FleetLedger()
        for request in receiver.requests() { try ledger.receive(Array(request.body.utf8)) }
        #expect(ledger.silentGateways(atMillis: Self.now + 899_000).isEmpty)
        #expect(ledger.silentGateways(atMillis: Self.now + 900_001) == ["gw-test"])
        #expect(ledger.silentGateways(atMillis: Self.now + 3_600_001) == ["gw-other", "gw-test"])
        // A later heartbeat makes it heard again.
        #expect(sender.send(report: report, facts: Self.facts, nowMillis: Self.now + 1_000_000) == nil)
        ledger = FleetLedger()
        for request in receiver.requests() { try ledger.receive(Array(request.body.utf8)) }
        #expect(ledger.silentGateways(atMillis: Self.now + 1_100_000).isEmpty)
        // Meters: METER-A's last session started at 00:00:30, METER-B's at 00:07:00.
        #expect(ledger.silentMeters(atMillis: FleetFixture.at(450 + 86_400), quietSeconds: 86_400) == ["METER-A", "METER-B"])
        #expect(ledger.silentMeters(atMillis: FleetFixture.at(400 + 86_400), quietSeconds: 86_400) == ["METER-A"])
    }

    @Test("heartbeats break `pocgate verify-chain`: a heartbeat in the center's request log is not taken for an unsigned batch")
    func verifyChainSkipsHeartbeats() throws {
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        let receiver = try HTTPSReceiver(options: { var o = HTTPSReceiver.Options(); o.validate = false; return o }())
        defer { receiver.stop() }
        #expect(try Self.sender(receiver, lines: LineCapture()).send(report: try fixture.store.fleetReport(), facts: Self.facts,
                                                                      nowMillis: Self.now) == nil)
        let log = try String(contentsOfFile: receiver.requestsFile, encoding: .utf8)
        let parsed = ReceivedBatch.parse(log: log, file: "requests.jsonl")
        #expect(receiver.requestCount() == 1 && parsed.batches.isEmpty && parsed.problems.isEmpty)
        let report = ChainVerifier(publicKey: Self.key.privateKey.publicKey, gatewayID: "gw-test")
            .verify(parsed.batches)
        #expect(report.findings.isEmpty)
    }

    @Test("heartbeat failures flood the log or hide: a failed heartbeat is logged once per streak, and the recovery once")
    func failureLoggedOnce() throws {
        var options = HTTPSReceiver.Options()
        options.failFirst = 2
        options.failStatus = 503
        options.validate = false
        let receiver = try HTTPSReceiver(options: options)
        defer { receiver.stop() }
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        let lines = LineCapture()
        let sender = try Self.sender(receiver, lines: lines)
        let report = try fixture.store.fleetReport()
        let first = sender.send(report: report, facts: Self.facts, nowMillis: Self.now)
        #expect(first?.contains("HTTP 503") == true)
        #expect(sender.send(report: report, facts: Self.facts, nowMillis: Self.now + 900_000) != nil)
        #expect(sender.send(report: report, facts: Self.facts, nowMillis: Self.now + 1_800_000) == nil)
        let codes = lines.entries.compactMap { $0.metadata["code"] }
        #expect(codes == ["PG-HBT-001", "PG-HBT-002"], "\(lines.entries)")
        #expect(receiver.requestCount() == 3, "no retry between intervals")
    }
}

/// docs/fhir/examples/heartbeat-bundle.json is what a gateway sends for the fleet fixture.
@Suite("docs/fhir: the heartbeat example")
struct HeartbeatExampleTests {
    static let path = UmockdevHarness.repositoryRoot.path + "/docs/fhir/examples/heartbeat-bundle.json"

    @Test("a documented heartbeat the gateway does not send: the example Bundle is the fixture's heartbeat, valid R4",
          .enabled(if: R4BValidator.isAvailable, "needs /usr/bin/python3 with fhir.resources"))
    func exampleMatchesTheGateway() throws {
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        var report = try fixture.store.fleetReport()
        report.usedBytes = 151_552  // the page count varies with SQLite's version; the example keeps one figure
        var counter: UInt8 = 0
        let bundle = HeartbeatBundle(report: report, facts: FleetHeartbeatTests.facts, nowMillis: FleetHeartbeatTests.now,
                                     settings: UplinkSettings(url: "https://fhir.center.invalid/fhir"), makeUUID: {
            counter += 1
            return UUID(uuid: (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, counter))
        })
        let object = try JSONSerialization.jsonObject(with: Data(bundle.body))
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        if ProcessInfo.processInfo.environment["POCGATE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: (Self.path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try (String(decoding: pretty, as: UTF8.self) + "\n").write(toFile: Self.path, atomically: true, encoding: .utf8)
        }
        let stored = try #require(FileManager.default.contents(atPath: Self.path), "run with POCGATE_UPDATE_GOLDEN=1 to write it")
        #expect(try JSONSerialization.jsonObject(with: stored) as? NSDictionary == object as? NSDictionary,
                "docs/fhir/examples/heartbeat-bundle.json differs from what the gateway sends")
        #expect(try R4BValidator.problems([UInt8](stored)) == nil)
    }
}
