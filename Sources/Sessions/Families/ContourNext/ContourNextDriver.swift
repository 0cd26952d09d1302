public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// Ascensia Contour Next over USB HID: E1381 frames carrying E1394 records inside 64-byte
    /// reports; the gateway asks for the transfer with EOT and answers ACK or NAK.
    public static let contourNextHID = ProtocolFamily("contour-next-hid")
}

/// Contour Next meters on their USB HID interface (docs/protocols/contour-next.md): the ASTM
/// family's receiver above a report de-framing layer.
enum ContourNextDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .contourNextHID, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [], docsPage: "docs/protocols/contour-next.md"),
        decodeCapture: { input, profile in
            ContourCaptureStream.decodeCapture(input.deviceBytes, profileID: profile.id, analytes: profile.analytes,
                                               charset: profile.charset)
        },
        streamCapture: { profile in
            ContourCaptureStream(profileID: profile.id, analytes: profile.analytes, charset: profile.charset)
        },
        makeSession: { ContourNextSession(transport: $0.link, profile: $0.profile, logger: $0.logger) })
}
