public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// The Bluetooth SIG Blood Pressure Profile over GATT (Blood Pressure Service 0x1810).
    public static let gattBloodPressure = ProtocolFamily("gatt-blood-pressure")
}

/// Blood-pressure monitors of the Bluetooth SIG Blood Pressure Profile (docs/protocols/gatt.md):
/// the monitor indicates its measurements once the gateway subscribed; nothing is written. A
/// capture (`pocgate replay`) is the Blood Pressure Measurement values, one per read.
enum GATTBloodPressureDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .gattBloodPressure, conversation: .deviceSpeaksFirst, liveSession: .always,
                             typicalBauds: [], docsPage: "docs/protocols/gatt.md"),
        decodeCapture: { input, profile in
            var out = DecodedCapture()
            for chunk in input.chunks {
                switch GATTBloodPressureSession.readings(chunk.bytes, profileID: profile.id,
                                                         serial: DecodedCapture.unknownSerial, model: profile.name) {
                case let .success(readings): out.readings += readings
                case let .failure(why): out.problems.append(why.description)
                }
            }
            return out
        },
        makeSession: { GATTBloodPressureSession(context: $0) })
}
