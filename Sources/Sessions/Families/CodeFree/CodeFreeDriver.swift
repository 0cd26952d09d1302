public import DeviceProfiles
import FrameParsing

extension ProtocolFamily {
    /// SD Biosensor SD CodeFree frames (0x53 … XOR 0xAA), 38400 8N1; read-only live session
    /// (answer, then one fetch per counted record).
    public static let sdCodeFree = ProtocolFamily("sd-codefree")
}

/// SD Biosensor SD CodeFree (docs/protocols/sd-codefree.md). The meter reports no serial: a
/// live session files its readings under the port's fallback identity (`SessionContext`).
/// Its identification probe sends nothing: an unknown command needs a power cycle (E-5), so on
/// a shared CP210x id the port is first listened to for the meter's opening challenge.
enum CodeFreeDriver {
    static let driver = ProtocolDriver(
        traits: FamilyTraits(family: .sdCodeFree, conversation: .deviceSpeaksFirst, liveSession: .always,
                             typicalBauds: [38400], docsPage: "docs/protocols/sd-codefree.md"),
        decodeCapture: { input, profile in CodeFreeDump.decodeCapture(input.deviceBytes, profileID: profile.id) },
        streamCapture: { profile in CodeFreeDump.CaptureStream(profileID: profile.id) },
        makeSession: { CodeFreeSession(transport: $0.link, profile: $0.profile, logger: $0.logger, fallbackSerial: $0.fallbackSerial) },
        probe: probe)

    /// Listens, sending nothing, for the challenge a meter in PC mode repeats (`10 30`).
    @Sendable static func probe(_ profile: DeviceProfile) -> IdentificationProbe? {
        let (timeout, attempts) = IdentificationProbe.limits(profile)
        return IdentificationProbe(family: .sdCodeFree, request: [], replyTimeoutMillis: timeout, attempts: attempts) { bytes in
            var stream = FrameStream(CodeFreeFrameDecoder(direction: .meterToHost))
            var dump = CodeFreeDump()
            stream.append(bytes)
            while let frame = stream.next() {
                if case .challenge = dump.consume(frame) { return "challenge heard" }
            }
            return nil
        }
    }
}
