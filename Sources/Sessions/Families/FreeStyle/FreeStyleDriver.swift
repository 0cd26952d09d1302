public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// Abbott FreeStyle Optium `$xmem` text dump with a 16-bit sum, 19200 8N1; read-only live
    /// session (`$xmem`).
    public static let freestyleOptium = ProtocolFamily("freestyle-optium")
}

/// Abbott FreeStyle Optium serial protocol (docs/protocols/freestyle-optium.md). Not probed:
/// its one read command starts a whole memory dump.
enum FreeStyleDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .freestyleOptium, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [19200], docsPage: "docs/protocols/freestyle-optium.md"),
        decodeCapture: { input, profile in FreeStyleDump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { profile in FreeStyleDump.CaptureStream(profileID: profile.id) },
        makeSession: { FreeStyleSession(transport: $0.link, profile: $0.profile, logger: $0.logger) })
}
