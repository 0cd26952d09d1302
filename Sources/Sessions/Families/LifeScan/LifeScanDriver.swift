public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// LifeScan OneTouch binary frames (STX … ETX, CRC-16/CCITT-FALSE): UltraEasy/UltraMini and
    /// Verio messages; a live read-only session for the UltraEasy/UltraMini and the Verio IQ
    /// (serial ports, `lifescan.meter`; the Verio 2015 is USB mass storage and replay only).
    public static let lifescanBinary = ProtocolFamily("lifescan-binary")
}

/// LifeScan OneTouch UltraEasy/UltraMini/Verio binary protocol (docs/protocols/lifescan-binary.md).
enum LifeScanDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .lifescanBinary, conversation: .gatewayPolls, liveSession: .always,
                             typicalBauds: [9600, 38400], profileSections: ["lifescan"], docsPage: "docs/protocols/lifescan-binary.md"),
        decodeCapture: { input, profile in LifeScanDump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { profile in LifeScanDump.CaptureStream(profileID: profile.id) },
        makeSession: { LifeScanSession(transport: $0.link, profile: $0.profile, logger: $0.logger) },
        probe: probe)

    /// UltraEasy: the link-opening frame, no request of data, answered by an acknowledge with a
    /// good CRC. Verio IQ (no link opening): the serial request, answered by a success reply.
    @Sendable static func probe(_ profile: DeviceProfile) -> IdentificationProbe? {
        let (timeout, attempts) = IdentificationProbe.limits(profile)
        let verioIQ = profile.lifescanMeter == .verioIQ
        let request = verioIQ ? LifeScanRequest.readVerioIQSerial.frame().bytes : LifeScanSession.openLink.bytes
        return IdentificationProbe(family: .lifescanBinary, request: request, replyTimeoutMillis: timeout,
                                   attempts: attempts) { bytes in
            var stream = FrameStream(LifeScanFrameDecoder())
            stream.append(bytes)
            while let frame = stream.next() {
                if verioIQ, frame.message.array.starts(with: [LifeScanDialect.verio.rawValue, LifeScanPayload.success]) {
                    return "serial reply"
                }
                if !verioIQ, frame.link.contains(.acknowledge) { return "link acknowledged" }
            }
            return nil
        }
    }
}
