public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// ASTM E1381 frames (STX FN … ETX/ETB, two-hex-digit sum) carrying E1394 records
    /// (H/P/O/R/C/L): Bayer/Ascensia Contour meters and POCT analyzers. The gateway only
    /// answers ACK or NAK.
    public static let astmE1394 = ProtocolFamily("astm-e1394")
}

/// ASTM E1381/E1394 senders (docs/protocols/astm.md): the sender speaks first.
enum ASTMDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .astmE1394, conversation: .deviceSpeaksFirst, liveSession: .always,
                             typicalBauds: [1200, 2400, 4800, 9600, 19200], docsPage: "docs/protocols/astm.md"),
        decodeCapture: { input, profile in
            ASTMTransfer.decodeCapture(input.deviceBytes, profileID: profile.id, analytes: profile.analytes, charset: profile.charset)
        },
        streamCapture: { profile in
            ASTMTransfer.CaptureStream(profileID: profile.id, analytes: profile.analytes, charset: profile.charset)
        },
        makeSession: { ASTMSession(transport: $0.link, profile: $0.profile, logger: $0.logger) })
}
