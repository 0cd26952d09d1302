import Demo
import DeviceProfiles
import Emulators
import Foundation
import Logging
import PocGateCore
import Sessions
import Testing
import Transports

/// `pocgate demo --device`: every meter the demo offers is played well enough that the real
/// session of its shipped profile reads its whole memory, read-only.
@Suite struct DemoDeviceTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Collects what the session delivers.
    final class Sink: SessionSink {
        var serial: String?
        var readings: [Reading] = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    /// Risk: `--device X` offers a meter whose emulator the gateway cannot read, so the demo
    /// shows nothing, or the emulator drifts from the profile the demo names.
    @Test(arguments: DemoDevice.allCases)
    func theDemosMeterIsReadWhollyByItsProfilesSession(_ device: DemoDevice) throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [Self.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        let profile = try #require(catalog.profile(id: device.profileID), "no shipped profile \(device.profileID)")
        let meter = try device.emulator(records: 12)
        meter.start()
        defer { meter.stop() }
        let port = try SerialPort(path: meter.slavePath, line: profile.line.tty)
        defer { port.close() }
        let context = SessionContext(link: port, profile: profile, logger: Logger(label: "demo-test"),
                                     localNow: { LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 5) },
                                     fallbackSerial: "port:demo:" + meter.slavePath)
        let session = try #require(ProtocolRegistry.driver(for: profile).makeSession?(context), "no live session for \(device)")
        let sink = Sink()
        let summary = session.run(into: sink)
        #expect(summary.outcome == .complete, "\(summary.outcome)")
        #expect(sink.problems.isEmpty, "\(sink.problems)")
        let memory = EmulatedTD4277.sampleMemory(count: 12, newest: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(sink.readings.map(\.value) == memory.map { ExactDecimal($0.valueMgdL) })
        #expect(sink.readings.map { String($0.deviceTime.description.prefix(16)) } == memory.map { String($0.time.description.prefix(16)) })
        #expect(meter.counters.violations == 0)
    }

    /// The profile ids `--device` accepts are shipped profiles with a live session.
    @Test func everyDemoDeviceNamesAShippedLiveProfile() {
        let (catalog, _) = ProfileCatalog.load(directories: [Self.repo + "/DeviceProfiles"], families: .builtIn)
        for device in DemoDevice.allCases {
            #expect(catalog.profile(id: device.profileID)?.hasLiveSession == true, "\(device)")
        }
    }
}
