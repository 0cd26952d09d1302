public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// Menarini GlucoMen areo text blocks (`[` … CRC-8/MAXIM … `]`), 9600 8O1; read-only live
    /// session (0xA2 information, 0x80 readings).
    public static let glucomenAreo = ProtocolFamily("glucomen-areo")
}

/// Menarini GlucoMen areo serial protocol (docs/protocols/glucomen-areo.md).
enum GlucoMenAreoDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .glucomenAreo, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [9600], docsPage: "docs/protocols/glucomen-areo.md"),
        decodeCapture: { input, profile in GlucoMenAreoDump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { profile in GlucoMenAreoDump.CaptureStream(profileID: profile.id) },
        makeSession: { GlucoMenAreoSession(transport: $0.link, profile: $0.profile, logger: $0.logger) },
        probe: probe)

    /// The information request (0xA2): read only, answered by a block with a good CRC-8/MAXIM
    /// holding one line of five fields.
    @Sendable static func probe(_ profile: DeviceProfile) -> IdentificationProbe? {
        let (timeout, attempts) = IdentificationProbe.limits(profile)
        return IdentificationProbe(family: .glucomenAreo, request: GlucoMenAreoCommand.info.bytes, replyTimeoutMillis: timeout,
                                   attempts: attempts) { bytes in
            var stream = FrameStream(GlucoMenAreoBlockDecoder())
            stream.append(bytes)
            while let block = stream.next() {
                if let info = GlucoMenAreoInfo.parse(block) { return "serial \(info.serial)" }
            }
            return nil
        }
    }
}
