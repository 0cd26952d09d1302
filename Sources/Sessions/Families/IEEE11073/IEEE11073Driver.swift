public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// IEEE 11073-20601 personal health device APDUs (Continua agents), the manager's side:
    /// association, configuration, confirmed event reports, release.
    public static let ieee11073 = ProtocolFamily("ieee11073-20601")
}

/// IEEE 11073-20601 agents (docs/protocols/ieee11073.md). The agent speaks first.
enum IEEE11073Driver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .ieee11073, conversation: .deviceSpeaksFirst, liveSession: .always,
                             typicalBauds: [9600, 19200, 38400, 57600, 115200], docsPage: "docs/protocols/ieee11073.md"),
        decodeCapture: { input, profile in IEEE11073Dump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { profile in IEEE11073Dump.CaptureStream(profileID: profile.id) },
        makeSession: { IEEE11073Session(transport: $0.link, profile: $0.profile, logger: $0.logger) })
}
