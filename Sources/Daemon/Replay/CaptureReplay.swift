public import DeviceProfiles
public import FrameParsing

/// Decodes a raw capture of what a device sent, through the same decoder and dump assembly
/// the live session uses. No I/O: the caller reads the file. Each protocol family has a small
/// replay adapter next to its codec; this type only picks it.
public struct CaptureReplay {
    /// What a capture decoded to.
    public typealias Result = DecodedCapture

    public let profile: DeviceProfile

    public init(profile: DeviceProfile) { self.profile = profile }

    /// Decodes `bytes`. A capture without the serial replies yields readings with device
    /// `unknown`, because replay is for checking decoding, not for storing.
    public func decode(_ bytes: [UInt8]) -> Result {
        let id = profile.id
        switch profile.protocol {
        case .taidocTD42xx: return TaiDocDump.decodeCapture(bytes, profileID: id)
        case .lifescanBinary: return LifeScanDump.decodeCapture(bytes, profileID: id)
        case .onetouchUltra2: return Ultra2Dump.decodeCapture(bytes, profileID: id)
        case .freestyleOptium: return FreeStyleDump.decodeCapture(bytes, profileID: id)
        case .sdCodeFree: return CodeFreeDump.decodeCapture(bytes, profileID: id)
        case .ieee11073: return IEEE11073Dump.decodeCapture(bytes, profileID: id)
        case .taidocBloodPressure:
            var result = Result()
            result.problems = ["protocol taidoc-td32xx-bp has no decoder yet: its blood-pressure record layout awaits a verified capture"]
            return result
        case .ecgWaveform: return ECGTransferDump.decodeCapture(bytes, profileID: id)
        case .scpECG: return SCPDump.decodeCapture(bytes, profileID: id)
        case .hl7MLLP: return HL7Capture.decodeCapture(bytes, profileID: id)
        case .kioskAA55: return AA55Dump.decodeCapture(bytes, profileID: id)
        case .astmE1394: return ASTMTransfer.decodeCapture(bytes, profileID: id)
        case .declarative: return profile.declarative.map { $0.decodeCapture(bytes, profileID: id).capture } ?? Result()
        }
    }

    /// Decodes `bytes` and measures the wall time of decoding with a monotonic clock.
    public func timedDecode(_ bytes: [UInt8]) -> (result: Result, seconds: Double) {
        let clock = ContinuousClock()
        var result = Result()
        let elapsed = clock.measure { result = decode(bytes) }
        let parts = elapsed.components
        return (result, Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }
}
