import Tools
import Emulators
import Daemon
import DeviceProfiles
import Foundation
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// `pocgate capture` against the emulated TD-4277 on a pseudo-terminal: both directions are
/// saved with their times, the device bytes replay to the same readings the session read, and
/// nothing the gateway sent is outside the protocol's read-only allow-list.
@Suite struct CaptureRunTests {
    @Test func capturesBothDirectionsAndReplaysToTheSameReadings() throws {
        let memory = EmulatedTD4277.sampleMemory(count: 6, newest: TaiDocSessionTests.newest)
        let meter = try EmulatedTD4277(serial: "22040600001A0B7C", records: memory, clock: TaiDocSessionTests.newest)
        meter.start()
        defer { meter.stop() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString).pgcap").path
        defer { try? FileManager.default.removeItem(atPath: out) }

        let summary = try CaptureRun.run(CaptureRun.Plan(devnode: meter.slavePath, profile: TaiDocSessionTests.profile,
                                                         outputPath: out, listenSeconds: 0), logger: Logger(label: "test"))
        #expect(summary.readings.count == 6)
        #expect(meter.counters.violations == 0)

        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: out)))
        #expect(CaptureFile.isCapture(bytes))
        let file = try CaptureFile.parse(bytes)
        #expect(file.header.contains("\"profile\":\"taidoc-td4277\""))
        #expect(file.deviceBytes.count == summary.deviceBytes && file.gatewayBytes.count == summary.gatewayBytes)
        #expect(file.chunks.map(\.micros) == file.chunks.map(\.micros).sorted())
        // Every frame the gateway sent is one the TD-4277 allow-list permits.
        for frame in stride(from: 0, to: file.gatewayBytes.count, by: 8).map({ Array(file.gatewayBytes[$0..<min($0 + 8, file.gatewayBytes.count)]) }) {
            #expect(TaiDocCommand.mayTransmit(frame))
        }
        let posix = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(posix == 0o600)

        let replayed = TaiDocDump.decodeCapture(try CaptureFile.deviceBytes(of: bytes), profileID: "taidoc-td4277")
        #expect(replayed.readings.map(\.value) == summary.readings.map(\.value))
        #expect(replayed.readings.map(\.deviceTime) == summary.readings.map(\.deviceTime))
    }

    @Test func aMissingDeviceIsAClearError() {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString).pgcap").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(throws: CaptureRun.Failure.self) {
            try CaptureRun.run(CaptureRun.Plan(devnode: "/dev/does-not-exist", profile: TaiDocSessionTests.profile,
                                               outputPath: out, listenSeconds: 0), logger: Logger(label: "test"))
        }
    }
}
