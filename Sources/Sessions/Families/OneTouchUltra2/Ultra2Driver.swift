public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// LifeScan OneTouch Ultra 2 "DM" text lines with a 16-bit sum, 9600 8N1; read-only live
    /// session `DM@`, `DMF`, `DMP`.
    public static let onetouchUltra2 = ProtocolFamily("onetouch-ultra2")
}

/// LifeScan OneTouch Ultra 2 text protocol (docs/protocols/onetouch-ultra2.md).
enum Ultra2Driver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .onetouchUltra2, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [9600], docsPage: "docs/protocols/onetouch-ultra2.md"),
        decodeCapture: { input, profile in Ultra2Dump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { profile in Ultra2Dump.CaptureStream(profileID: profile.id) },
        makeSession: { Ultra2Session(transport: $0.link, profile: $0.profile, logger: $0.logger) },
        probe: probe)

    /// The serial request: read only, answered by `@ "SERIAL"` with a good checksum.
    @Sendable static func probe(_ profile: DeviceProfile) -> IdentificationProbe? {
        let (timeout, attempts) = IdentificationProbe.limits(profile)
        return IdentificationProbe(family: .onetouchUltra2, request: Ultra2Command.readSerial.bytes, replyTimeoutMillis: timeout,
                                   attempts: attempts) { bytes in
            var stream = FrameStream(Ultra2LineDecoder())
            stream.append(bytes)
            while let line = stream.next() {
                if case .serial = line.kind, let serial = line.serial { return "serial \(serial)" }
            }
            return nil
        }
    }
}
