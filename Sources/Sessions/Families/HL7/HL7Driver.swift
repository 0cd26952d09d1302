public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// HL7 v2 ORU^R01 messages in MLLP blocks (0x0B … 0x1C 0x0D), each answered with an ACK
    /// after its readings are stored (health kiosks, lab analyzers).
    public static let hl7MLLP = ProtocolFamily("hl7-mllp")
}

/// HL7 v2 over MLLP (docs/protocols/hl7-mllp.md). The sender speaks first; the gateway answers
/// each message with an ACK stamped with its local time.
enum HL7Driver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .hl7MLLP, conversation: .deviceSpeaksFirst, liveSession: .always,
                             typicalBauds: [9600, 19200, 38400, 57600, 115200], docsPage: "docs/protocols/hl7-mllp.md"),
        decodeCapture: { input, profile in
            HL7Capture.decodeCapture(input.deviceBytes, profileID: profile.id, analytes: profile.analytes)
        },
        streamCapture: { profile in HL7Capture.Stream(profileID: profile.id, analytes: profile.analytes) },
        makeSession: { c in HL7Session(transport: c.link, profile: c.profile, logger: c.logger, now: c.localNow) })
}
