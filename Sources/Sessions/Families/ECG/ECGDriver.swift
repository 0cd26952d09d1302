public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// pocgate's framed 12-lead ECG transfer (`PGEC` … CRC-16/CCITT-FALSE), a constructed
    /// format for cart bridges that export raw samples (docs/protocols/ecg.md).
    public static let ecgWaveform = ProtocolFamily("ecg-waveform")
    /// SCP-ECG records (EN 1064 / ISO 11073-91064) sent whole by a 12-lead ECG cart.
    public static let scpECG = ProtocolFamily("scp-ecg")
}

/// 12-lead ECG carts (docs/protocols/ecg.md): the cart sends, the gateway listens.
enum ECGDriver {
    static let framedTransfer = ProtocolDriver(
        traits: traits(.ecgWaveform),
        decodeCapture: { input, profile in ECGTransferDump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { ECGTransferDump.CaptureStream(profileID: $0.id) },
        makeSession: { session($0, .framedTransfer) })

    static let scp = ProtocolDriver(
        traits: traits(.scpECG),
        decodeCapture: { input, profile in SCPDump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { SCPDump.CaptureStream(profileID: $0.id) },
        makeSession: { session($0, .scp) })

    private static func traits(_ family: ProtocolFamily) -> FamilyTraits {
        FamilyTraits(family: family, conversation: .deviceSpeaksFirst, liveSession: .always,
                     typicalBauds: [38400, 57600, 115200, 230400, 460800], docsPage: "docs/protocols/ecg.md")
    }

    private static func session(_ c: SessionContext, _ encoding: ECGListenSession.Encoding) -> any LiveSession {
        ECGListenSession(transport: c.link, profile: c.profile, encoding: encoding, logger: c.logger, fallbackSerial: c.fallbackSerial)
    }
}
