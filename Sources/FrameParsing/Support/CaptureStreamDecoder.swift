public import PocGateCore

/// What a streaming capture decoder hands out as the bytes arrive: a reading, or a record or
/// dump that could not become one (with the reason).
public enum CaptureEvent {
    case reading(Reading)
    case problem(String)
}

/// The totals a streaming capture decoder reports at the end: the `DecodedCapture` fields
/// that are not readings or problems.
public struct CaptureStreamSummary: Sendable {
    public var deviceSerial: String?
    public var deviceModel: String?
    public var deviceClock: LocalDateTime?
    /// What the frame stream kept and skipped.
    public var counters = DecodeCounters()
    /// Bytes at the end of the capture that were not part of a whole frame.
    public var pendingBytes = 0

    public init() {}
}

/// Decodes a capture as it is read, piece by piece, so memory stays bounded by the longest
/// frame and the dump state, never by the capture's size. Fed the same bytes however split,
/// it emits the same events in the same order as the family's whole-capture `decodeCapture`
/// (which is this decoder fed once and collected).
public protocol CaptureStreamDecoder {
    /// Decodes the next piece of what the device sent, received at `receivedAt`; emits every
    /// reading and problem the piece completes, in capture order.
    mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void)
    /// The capture ended: emits what the end completes (a transfer cut off) and returns the totals.
    mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary
}

extension CaptureStreamDecoder {
    /// Feeds `bytes` in one piece and collects everything: the whole-capture answer. For the
    /// families whose frames carry their own times `receivedAt` is never read.
    public mutating func collect(_ bytes: [UInt8], receivedAt: LocalDateTime = LocalDateTime(secondsSinceEpoch: 0)) -> DecodedCapture {
        var out = DecodedCapture()
        let take: (CaptureEvent) -> Void = { event in
            switch event {
            case let .reading(r): out.readings.append(r)
            case let .problem(p): out.problems.append(p)
            }
        }
        feed(bytes, receivedAt: receivedAt, emit: take)
        let summary = finish(emit: take)
        out.deviceSerial = summary.deviceSerial
        out.deviceModel = summary.deviceModel
        out.deviceClock = summary.deviceClock
        out.counters = summary.counters
        out.pendingBytes = summary.pendingBytes
        return out
    }
}
