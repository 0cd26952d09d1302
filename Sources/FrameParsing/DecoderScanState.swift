/// What a decoder learnt about the pending bytes of a stream, kept by `FrameStream` between
/// decoder calls (see `FrameDecoder.ScanState`). Positions in it count from the stream's
/// decode position, which moves forward by every byte the stream drops; a new state knows
/// nothing and is always correct, so the stream starts one whenever its bytes stop continuing
/// the bytes it showed before (`reset`).
public protocol DecoderScanState {
    /// A state that knows nothing yet.
    init()
    /// The stream dropped the first `count` pending bytes (a frame, a skip, or a byte it
    /// refused itself): facts about them are of no more use.
    mutating func advance(by count: Int)
}

/// The scan state of a decoder that answers from the bytes alone.
public struct NoScanState: DecoderScanState, Sendable {
    @inlinable public init() {}
    @inlinable @inline(__always) public mutating func advance(by count: Int) {}
}
