public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// SD Biosensor SD CodeFree frames (0x53 … XOR 0xAA), 38400 8N1. Replay only.
    public static let sdCodeFree = ProtocolFamily("sd-codefree")
}

/// SD Biosensor SD CodeFree (docs/protocols/sd-codefree.md): captures decode; no live session
/// (the meter reports no serial to key a device by).
enum CodeFreeDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .sdCodeFree, conversation: .gatewayPolls, liveSession: .never,
                             typicalBauds: [38400], docsPage: "docs/protocols/sd-codefree.md"),
        decodeCapture: { input, profile in CodeFreeDump.decodeCapture(input.deviceBytes, profileID: profile.id) })
}
