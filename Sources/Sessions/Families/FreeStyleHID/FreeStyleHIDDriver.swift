public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// Abbott FreeStyle meters on their USB HID interface (Libre reader, Precision/Optium Neo,
    /// InsuLinx): typed 64-byte messages carrying text commands; read-only live session.
    public static let freestyleHID = ProtocolFamily("freestyle-hid")
}

/// The FreeStyle shared HID protocol (docs/protocols/freestyle-hid.md). The meter model (which
/// serial and result commands it answers) is the one of the profile's USB product id; a
/// profile naming none, or two different ones, gets no session.
enum FreeStyleHIDDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .freestyleHID, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [], docsPage: "docs/protocols/freestyle-hid.md"),
        decodeCapture: { input, profile in
            var stream = FreeStyleHIDCaptureStream(profileID: profile.id, model: model(of: profile) ?? .precisionNeo)
            return stream.collect(input.deviceBytes)
        },
        streamCapture: { profile in FreeStyleHIDCaptureStream(profileID: profile.id, model: model(of: profile) ?? .precisionNeo) },
        makeSession: { context in
            model(of: context.profile).map {
                FreeStyleHIDSession(transport: context.link, profile: context.profile, model: $0, logger: context.logger)
            }
        })

    /// The one model all of the profile's USB matches name, or nil.
    static func model(of profile: DeviceProfile) -> FreeStyleHIDModel? {
        let models = Set(profile.match.usb.compactMap { FreeStyleHIDModel(productID: $0.productID) })
        return models.count == 1 ? models.first : nil
    }
}
