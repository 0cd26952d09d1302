/// Runs a `FrameDecoder` over bytes that arrive in pieces.
///
/// Two ways to feed it, giving the same frames and counters for the same bytes however they
/// are split:
/// - `append(_:)` then `next()` until nil: the stream copies the bytes into its buffer.
/// - `forEachFrame(in:_:)`: decodes straight from the caller's bytes and keeps only an
///   unfinished frame (at most `maximumFrameLength` bytes) for the next call.
///
/// The buffer is one growable array. Consumed bytes are dropped without moving anything when
/// nothing is pending; otherwise the pending tail is moved to the front only when it is no
/// longer than the consumed prefix and the buffer would have to grow, so compaction costs at
/// most one move per consumed byte and the steady state allocates nothing per frame. After
/// `next()` has returned nil, at most `maximumFrameLength` bytes stay pending.
public struct FrameStream<Decoder: FrameDecoder> {
    @usableFromInline var _decoder: Decoder
    /// `_decoder.maximumFrameLength`, read once: the per-step checks need no decoder access.
    @usableFromInline let maximumFrameLength: Int
    @usableFromInline var _counters = DecodeCounters()
    @usableFromInline var _lastIssue: DecodeIssue?
    @usableFromInline var buffer: [UInt8] = []
    /// Where the unconsumed bytes of `buffer` begin.
    @usableFromInline var readIndex = 0
    /// What the decoder learnt about the pending bytes; moved by every byte consumed.
    @usableFromInline var _scanState = Decoder.ScanState()

    /// The decoder this stream runs.
    public var decoder: Decoder { _decoder }
    /// What the stream decoded and skipped so far.
    public var counters: DecodeCounters { _counters }
    /// The last issue seen, for a log line.
    public var lastIssue: DecodeIssue? { _lastIssue }
    /// What the decoder keeps about the pending bytes (e.g. how many bytes it looked at).
    public var scanState: Decoder.ScanState { _scanState }

    /// A stream with an empty buffer that runs `decoder`.
    public init(_ decoder: Decoder) {
        _decoder = decoder
        maximumFrameLength = decoder.maximumFrameLength
        buffer.reserveCapacity(max(256, decoder.maximumFrameLength * 4))
    }

    /// Bytes received but not yet part of a frame.
    public var pendingCount: Int { buffer.count - readIndex }

    /// Adds received bytes.
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        makeRoom(for: bytes.count)
        buffer.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Adds received bytes.
    @inlinable
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, or nil when more input is needed.
    @inlinable
    public mutating func next() -> Decoder.Frame? {
        while readIndex < buffer.count {
            let (advance, frame) = stepBuffer()
            if advance == 0 { return nil }
            readIndex += advance
            _scanState.advance(by: advance)
            if let frame { return frame }
        }
        return nil
    }

    /// Drops everything buffered (e.g. after a timeout, before re-sending a command).
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        readIndex = 0
        _scanState = Decoder.ScanState()
    }

    /// One decoder step at `readIndex` in the buffer: how far to advance (0: wait for more)
    /// and the frame, if any.
    @inlinable @inline(__always)
    mutating func stepBuffer() -> (Int, Decoder.Frame?) {
        let available = buffer.count - readIndex
        return take(Self.decode(_decoder, buffer, from: readIndex, &_scanState), available: available)
    }

    /// `decoder`'s answer about `buffer` from `start`. A static function of borrowed values, so
    /// the decoder is used where it is stored: reading it from inside a closure over `self`
    /// would copy it per step, which for a decoder holding a reference (a declarative profile's
    /// tables) costs a retain and a release per frame.
    @inlinable @inline(__always)
    static func decode(_ decoder: Decoder, _ buffer: [UInt8], from start: Int,
                       _ state: inout Decoder.ScanState) -> DecodeStep<Decoder.Frame> {
        buffer.withUnsafeBytes { raw in decoder.decode(UnsafeRawBufferPointer(rebasing: raw[start...]), resuming: &state) }
    }

    /// Turns one decoder answer about `available` bytes into how far to advance (0: wait for
    /// more) and the frame, if any, counting what was skipped. The maximum frame length is
    /// enforced here for every decoder.
    @inlinable @inline(__always)
    mutating func take(_ step: DecodeStep<Decoder.Frame>, available: Int) -> (Int, Decoder.Frame?) {
        switch step {
        case let .frame(frame, consumed):
            guard consumed <= maximumFrameLength else { return (skip(1, .oversized), nil) }
            guard consumed >= 1, consumed <= available else {
                return (skip(1, .malformed("decoder reported a length outside the bytes it was shown")), nil)
            }
            _counters.frames += 1
            return (consumed, frame)
        case .needMore:
            return available > maximumFrameLength ? (skip(1, .oversized), nil) : (0, nil)
        case let .skip(count, issue):
            return (skip(min(max(1, count), available), issue), nil)
        }
    }

    /// Counts `count` skipped bytes and remembers why; returns `count`.
    @inlinable
    mutating func skip(_ count: Int, _ issue: DecodeIssue) -> Int {
        _counters.count(issue, bytes: count)
        _lastIssue = issue
        return count
    }

    /// Before `incoming` bytes are appended: drops the consumed prefix, moving the pending tail
    /// only when that is cheap (no longer than the prefix) and saves the buffer from growing.
    @inlinable
    mutating func makeRoom(for incoming: Int) {
        guard readIndex > 0 else { return }
        let pending = buffer.count - readIndex
        if pending == 0 {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if pending <= readIndex, buffer.count + incoming > buffer.capacity {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
