import Tools
import Sessions
import Transports
@testable import Daemon
import Foundation
import PocGateCore
import Store
import Testing
import Uplink

/// A device time with its own UTC offset (HL7 `±ZZZZ`) is judged as the instant it names, not
/// as wall time in the gateway's zone.
@Suite("StoreSink: times with a UTC offset", .serialized)
struct StoreSinkOffsetTests {
    @Test func aTimeWithItsOwnOffsetIsJudgedAsItsInstantNotHeldAsInTheFuture() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-offset-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(path: dir + "/pocgate.db")
        let lines = StoreSinkClockTests.Lines()
        let uplink = try Uplink(store: store, signer: BatchSigner(gatewayID: "gw", key: GatewayKey(privateKey: Ed25519PrivateKey())),
                                settings: UplinkSettings(url: "https://center.example/fhir"), logger: lines.logger())
        var clock = DeviceClockSettings()
        clock.policy.futureToleranceSeconds = 600
        let sink = StoreSink(store: store, sessionID: 1, uplink: uplink, provenance: ReadingProvenance(), clock: clock,
                             logger: lines.logger(), stopRequested: { false }, progress: { _ in })
        // 20:30 at +14:00 is 06:30 UTC, 14:30 in Asia/Shanghai: half an hour before the gateway's 15:00.
        var reading = Reading(profileID: "kiosk", deviceSerial: "K", deviceModel: "K", recordKey: "k", kind: .heartRate,
                              code: "8867-4", value: ExactDecimal(72), unit: "/min",
                              deviceTime: LocalDateTime(year: 2024, month: 3, day: 1, hour: 20, minute: 30), flags: [], raw: [])
        reading.utcOffsetSeconds = 14 * 3600
        let gatewayNow: Int64 = 1_709_276_400_000   // 2024-03-01T07:00:00Z = 15:00 +08:00
        let verdict = sink.verdict(reading, nowMillis: gatewayNow)
        #expect(verdict.hold == nil)
        #expect(verdict.correctedTime == reading.deviceTime, "nothing corrected: the upload carries the device's own offset")
        // The same wall time without an offset is 20:30 in the gateway's zone: in the future.
        reading.utcOffsetSeconds = nil
        #expect(sink.verdict(reading, nowMillis: gatewayNow).hold == .inFuture)
    }
}
