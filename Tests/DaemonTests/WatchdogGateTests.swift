import Tools
import Sessions
import Transports
@testable import Daemon
import Foundation
import Testing

@Suite struct WatchdogGateTests {
    @Test func pingsWhileHealthyWithholdsWhileStalledAndReportsEachChangeOnce() {
        var gate = WatchdogGate()
        #expect(gate.tick(stalled: nil) == .ping)
        #expect(gate.tick(stalled: nil) == .ping)
        #expect(gate.tick(stalled: ("uplink", .seconds(200))) == .stalled(name: "uplink", quiet: .seconds(200)))
        #expect(gate.tick(stalled: ("uplink", .seconds(260))) == .stillStalled)
        #expect(gate.tick(stalled: nil) == .recovered(from: "uplink"))
        #expect(gate.tick(stalled: nil) == .ping)
    }
}

@Suite struct StatusLineTests {
    static func status(devices: [DeviceStatus] = [], queue: Int? = 0, upload: UploadResult? = nil,
                       state: RuntimeStatus.State = .running, stalled: String? = nil) -> RuntimeStatus {
        let date = Date(timeIntervalSince1970: 1_718_440_200)
        return RuntimeStatus(pid: 1, startedAt: date, updatedAt: date, state: state, ready: true, watchdogSeconds: nil,
                             stalled: stalled, storePath: "/x.db", devices: devices, queueDepth: queue,
                             oldestPendingAt: nil, lastUpload: upload)
    }

    static func device(_ node: String) -> DeviceStatus {
        DeviceStatus(devnode: node, profile: "taidoc-td4277", usb: "067b:2303", attachedAt: Date(timeIntervalSince1970: 0),
                     lastReadingAt: nil, inSession: false)
    }

    @Test func saysWhatTheGatewayDoes() {
        #expect(StatusLine.text(Self.status()) == "no devices connected; queue empty")
        #expect(StatusLine.text(Self.status(devices: [Self.device("/dev/ttyUSB0")], queue: 1))
                == "1 device: /dev/ttyUSB0 (taidoc-td4277); 1 reading queued")
        let failed = UploadResult(at: Date(), ok: false, detail: "12 not delivered: connection refused")
        #expect(StatusLine.text(Self.status(devices: [Self.device("/dev/ttyUSB1"), Self.device("/dev/ttyACM0")], queue: 12,
                                            upload: failed))
                == "2 devices: /dev/ttyUSB1, /dev/ttyACM0; 12 readings queued; last upload failed: 12 not delivered: connection refused")
        #expect(StatusLine.text(Self.status(state: .reloading)).hasPrefix("Reloading device profiles; "))
        #expect(StatusLine.text(Self.status(stalled: "uplink")).hasPrefix("STALLED: uplink makes no progress; "))
    }

    @Test func staysShort() {
        let long = UploadResult(at: Date(), ok: false, detail: String(repeating: "x", count: 500))
        #expect(StatusLine.text(Self.status(upload: long)).count == StatusLine.maximumLength)
    }
}
