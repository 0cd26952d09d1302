import Daemon
public import DeviceProfiles
public import FrameParsing
public import PocGateCore
public import Sessions

/// Decodes a raw capture of what a device sent, through the same decoder and dump assembly
/// the live session uses: the family driver's (`ProtocolRegistry`). No I/O: the caller reads
/// the file.
public struct CaptureReplay {
    /// What a capture decoded to.
    public typealias Result = DecodedCapture

    public let profile: DeviceProfile

    public init(profile: DeviceProfile) { self.profile = profile }

    /// Decodes what the device sent. A capture without the serial replies yields readings with
    /// device `unknown`, because replay is for checking decoding, not for storing. The receive
    /// times stamp the readings of devices whose frames carry none (the AA 55 kiosk board).
    public func decode(_ input: ReplayInput) -> Result {
        ProtocolRegistry.driver(for: profile).decodeCapture(input, profile)
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
