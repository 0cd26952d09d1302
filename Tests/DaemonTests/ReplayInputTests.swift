import Tools
import Transports
import Sessions
import Daemon
import DeviceProfiles
import Foundation
import FrameParsing
import PocGateCore
import Testing

/// Replay dates a device whose frames carry no time (the AA 55 kiosk board) by when the
/// gateway received the bytes: a two-way capture's record times, or what the technician says
/// for a plain capture. Clinical risk: a kiosk BP reading filed at a made-up date.
@Suite struct ReplayInputTests {
    static let shanghai = ZoneInfo.named("Asia/Shanghai")!
    /// The shipped kiosk profile (protocol kiosk-aa55).
    static let kiosk = try! DeviceProfile.parse(
        String(contentsOfFile: CaptureReplayTests.repo + "/DeviceProfiles/generic/aa55-health-kiosk/profile.yaml", encoding: .utf8),
        file: "profile.yaml", families: .builtIn)

    @Test func aTwoWayCaptureDatesEachDeviceReadByItsRecordTime() throws {
        let header = #"{"profile":"generic-aa55-health-kiosk","started":"2024-06-15T00:30:00Z"}"#
        let file = CaptureFile(header: header, chunks: [
            .init(direction: .gateway, micros: 0, bytes: [0x01]),
            .init(direction: .device, micros: 1_500_000, bytes: [0xAA, 0x55]),
            .init(direction: .device, micros: 61_000_000, bytes: [0x02]),
        ]).encoded()
        let input = try ReplayInput.read(file, zone: Self.shanghai, plainReceivedAt: Date(timeIntervalSince1970: 0))
        #expect(input.chunks.map(\.receivedAt) == [LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 1),
                                                   LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 31, second: 1)])
        #expect(input.deviceBytes == [0xAA, 0x55, 0x02], "the gateway's bytes are not the device's")
        let fixed = LocalDateTime(year: 2025, month: 1, day: 2, hour: 3)
        let overridden = try ReplayInput.read(file, zone: Self.shanghai, plainReceivedAt: Date(), receivedAt: fixed)
        #expect(overridden.chunks.allSatisfy { $0.receivedAt == fixed })
    }

    @Test func aPlainCaptureIsDatedByTheTimeTheCallerGives() throws {
        let modified = Date(timeIntervalSince1970: 1_718_411_400)   // 2024-06-15T00:30:00Z
        let input = try ReplayInput.read([0xAA, 0x55], zone: Self.shanghai, plainReceivedAt: modified)
        #expect(input.chunks == [.init(receivedAt: LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30), bytes: [0xAA, 0x55])])
    }

    /// The shipped kiosk capture split into two reads a minute apart: the readings of the frames
    /// completed by the second read carry its time, none carries a made-up date.
    @Test func kioskReadingsCarryTheirReceiveTimes() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: CaptureReplayTests.repo
                                                      + "/DeviceProfiles/generic/aa55-health-kiosk/captures/session.bin")))
        let first = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)
        let second = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 31)
        let half = bytes.count / 2
        let split = ReplayInput(chunks: [.init(receivedAt: first, bytes: Array(bytes[..<half])),
                                         .init(receivedAt: second, bytes: Array(bytes[half...]))])
        let whole = CaptureReplay(profile: Self.kiosk).decode(bytes, receivedAt: first).readings
        let readings = CaptureReplay(profile: Self.kiosk).decode(split).readings
        #expect(readings.count == whole.count && readings.count > 2)
        #expect(Set(readings.map(\.deviceTime)) == [first, second])
        #expect(readings.map(\.value) == whole.map(\.value))
    }
}
