public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// Omron HEM-790IT-class blood-pressure monitors on USB HID (0590:0028): 8-byte reports,
    /// `GDC`/`GME` memory reads with an XOR check.
    public static let omronHEM790IT = ProtocolFamily("omron-hem790it")
}

/// Omron HEM-790IT-class monitors (docs/protocols/omron-hem790it.md). Not probed: the USB id
/// is the monitor's own, and waking it is the first step of every read.
enum OmronDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .omronHEM790IT, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [], docsPage: "docs/protocols/omron-hem790it.md"),
        decodeCapture: { input, profile in OmronDump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { profile in OmronDump.CaptureStream(profileID: profile.id) },
        makeSession: { OmronSession(transport: $0.link, profile: $0.profile, logger: $0.logger, monitorSerial: $0.fallbackSerial) })
}
