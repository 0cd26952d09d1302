public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// The Bluetooth SIG Glucose Profile over GATT (Glucose Service 0x1808).
    public static let gattGlucose = ProtocolFamily("gatt-glucose")
}

/// Glucose meters of the Bluetooth SIG Glucose Profile (docs/protocols/gatt.md): the gateway
/// asks the Record Access Control Point for the stored records and reads the measurements and
/// contexts the meter notifies. A capture (`pocgate replay`) is the Glucose Measurement values,
/// one per read.
enum GATTGlucoseDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .gattGlucose, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [], docsPage: "docs/protocols/gatt.md"),
        decodeCapture: { input, profile in
            var assembler = GATTGlucoseAssembler(profileID: profile.id, serial: DecodedCapture.unknownSerial, model: profile.name)
            var out = DecodedCapture()
            for chunk in input.chunks {
                GATTGlucoseSession.collect(assembler.measurement(chunk.bytes), into: &out)
            }
            GATTGlucoseSession.collect(assembler.finish(), into: &out)
            return out
        },
        makeSession: { GATTGlucoseSession(context: $0) })
}
