public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// All-in-one health kiosk measurement board frames (AA 55 token len … CRC-8/MAXIM): blood
    /// pressure, SpO2, thermometer and strip-meter results. Replay only.
    public static let kioskAA55 = ProtocolFamily("kiosk-aa55")
}

/// The AA 55 kiosk measurement board (docs/protocols/aa55-kiosk.md). Replay only: its frames
/// carry no time, so replay stamps them with the capture's receive times; a live session
/// could start a measurement, so the port is never driven.
enum KioskAA55Driver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .kioskAA55, conversation: .gatewayPolls, liveSession: .never,
                             typicalBauds: [115200, 230400, 460800], docsPage: "docs/protocols/aa55-kiosk.md"),
        decodeCapture: { input, profile in
            AA55Dump.decodeCapture(input.chunks.map { ($0.receivedAt, $0.bytes) }, profileID: profile.id)
        },
        streamCapture: { AA55Dump.CaptureStream(profileID: $0.id) })
}
