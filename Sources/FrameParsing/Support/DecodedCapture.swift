public import PocGateCore

/// What a raw capture decoded to: the family adapters' answer to `pocgate replay`, through the
/// same decoder and dump assembly a live session uses.
public struct DecodedCapture: Sendable {
    /// Every record that became a reading, in capture order.
    public var readings: [Reading] = []
    /// Records or dumps that could not become readings, each with the reason.
    public var problems: [String] = []
    /// The device's serial, when the capture carries it.
    public var deviceSerial: String?
    /// The device model, when known.
    public var deviceModel: String?
    /// The device clock, when the capture carries it.
    public var deviceClock: LocalDateTime?
    /// What the frame stream kept and skipped.
    public var counters = DecodeCounters()
    /// Bytes at the end of the capture that were not part of a whole frame (a record cut
    /// off when the capture stopped, trailing noise): counted, never silently dropped.
    public var pendingBytes = 0

    public init() {}

    /// The serial written into readings when a capture lacks the serial reply.
    public static let unknownSerial = "unknown"
}
