public import DeviceProfiles
public import FrameParsing
public import PocGateCore

/// Decodes a raw capture of what a device sent, through the same decoder and dump assembly
/// the live session uses. No I/O: the caller reads the file. Each protocol family has a small
/// replay adapter next to its codec; this type only picks it.
public struct CaptureReplay {
    /// What a capture decoded to.
    public typealias Result = DecodedCapture

    public let profile: DeviceProfile

    public init(profile: DeviceProfile) { self.profile = profile }

    /// Decodes what the device sent. A capture without the serial replies yields readings with
    /// device `unknown`, because replay is for checking decoding, not for storing. The receive
    /// times stamp the readings of devices whose frames carry none (the AA 55 kiosk board).
    public func decode(_ input: ReplayInput) -> Result {
        let id = profile.id
        let bytes = input.deviceBytes
        switch profile.protocol {
        case .taidocTD42xx, .taidocBloodPressure:
            return TaiDocDump.decodeCapture(bytes, profileID: id, models: profile.taidocModelTable)
        case .lifescanBinary: return LifeScanDump.decodeCapture(bytes, profileID: id)
        case .onetouchUltra2: return Ultra2Dump.decodeCapture(bytes, profileID: id)
        case .freestyleOptium: return FreeStyleDump.decodeCapture(bytes, profileID: id)
        case .sdCodeFree: return CodeFreeDump.decodeCapture(bytes, profileID: id)
        case .ieee11073: return IEEE11073Dump.decodeCapture(bytes, profileID: id)
        case .ecgWaveform: return ECGTransferDump.decodeCapture(bytes, profileID: id)
        case .scpECG: return SCPDump.decodeCapture(bytes, profileID: id)
        case .hl7MLLP: return HL7Capture.decodeCapture(bytes, profileID: id, analytes: profile.analytes)
        case .kioskAA55: return AA55Dump.decodeCapture(input.chunks.map { ($0.receivedAt, $0.bytes) }, profileID: id)
        case .astmE1394: return ASTMTransfer.decodeCapture(bytes, profileID: id, analytes: profile.analytes, charset: profile.charset)
        case .declarative: return profile.declarative.map { $0.decodeCapture(bytes, profileID: id).capture } ?? Result()
        }
    }

    /// Decodes `bytes` all received at `receivedAt`.
    public func decode(_ bytes: [UInt8], receivedAt: LocalDateTime) -> Result {
        decode(ReplayInput(bytes: bytes, receivedAt: receivedAt))
    }

    /// Decodes `input` and measures the wall time of decoding with a monotonic clock.
    public func timedDecode(_ input: ReplayInput) -> (result: Result, seconds: Double) {
        let clock = ContinuousClock()
        var result = Result()
        let elapsed = clock.measure { result = decode(input) }
        let parts = elapsed.components
        return (result, Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }
}
