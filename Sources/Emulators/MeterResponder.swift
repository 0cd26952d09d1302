/// The meter side of one protocol: host bytes in, the meter's reply out, and what the meter
/// sends unasked. Each implementation is written from the public protocol description, never
/// from pocgate's decoders; `EmulatedMeter` plays it on a pseudo-terminal.
public protocol MeterResponder: Sendable {
    /// The meter's model, for the demo's banner.
    var model: String { get }
    /// The reply to `bytes` (possibly part of a command; the responder keeps the rest), and
    /// what it counted in `counters`. Empty: nothing to say.
    mutating func receive(_ bytes: [UInt8], counters: inout EmulatorCounters) -> [UInt8]
    /// What the meter sends without being asked at `millis` (monotonic milliseconds): the
    /// opening of a meter that speaks first. Empty for most meters.
    mutating func unprompted(atMillis millis: Int64) -> [UInt8]
}

extension MeterResponder {
    public mutating func unprompted(atMillis millis: Int64) -> [UInt8] { [] }
}
