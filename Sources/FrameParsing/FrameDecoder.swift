/// The decoder contract: a pure, synchronous function from "the bytes I have" to "a frame",
/// "I need more" or "skip this many bytes, they are not a frame".
///
/// A decoder owns no buffer, does no I/O and reads no clock. The caller (`FrameStream`) owns
/// the bytes and the loop, so the same decoder runs over a tty in the daemon and over a capture
/// file in `pocgate replay`, and input split at any byte boundary yields the same frames.
///
/// What `FrameStream` relies on, and what every decoder must keep:
/// - **Decisions are final.** A `.frame` or `.skip` answer for some bytes stays the same when
///   more bytes follow them (a garbage skip may stop at the end of the bytes it was shown and
///   continue on the next call). Only `.needMore` may change into something else.
/// - **`.needMore` means a proper prefix.** It is answered only while the bytes could still
///   begin a frame of at most `maximumFrameLength` bytes. When more than that many bytes are
///   pending and the decoder still needs more, the stream drops one byte as `.oversized`; a
///   frame longer than the maximum is dropped the same way.
/// - **Skip to the next plausible start.** A garbage skip should cover every byte up to the
///   next possible start of a frame (a `memchr`-like scan), so no byte is looked at twice.
/// - **No allocation on the frame path.** Mark `decode` `@inlinable` so the stream's loop is
///   specialised for the decoder in the calling module.
/// - **A scan state is only a cache.** A decoder that must look ahead of a frame start (SCP-ECG
///   looks for a later whole record inside a claimed length) may keep what it learnt about the
///   pending bytes in a `ScanState` the stream holds between calls, so each byte is looked at
///   once however the bytes arrive. Its answers with a state are the answers without one.
public protocol FrameDecoder {
    /// What one complete, checked frame decodes to.
    associatedtype Frame

    /// The longest frame this protocol can carry; a guard against hostile or broken devices.
    var maximumFrameLength: Int { get }

    /// Looks at `bytes` (the unconsumed input, starting where the last frame ended).
    func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeStep<Frame>

    /// An optional fast path for runs of good frames, used by `FrameStream.forEachFrame`:
    /// hands each complete, valid frame at the start of `bytes` to `body`, one after another,
    /// and stops before the first bytes that are anything else (those go to `decode`).
    /// Returns the bytes used and the frames found.
    ///
    /// It must find exactly the frames that repeated `decode` calls would find, each at most
    /// `maximumFrameLength` long. The default finds none, which is always correct.
    func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (Frame) -> Void) -> (consumed: Int, frames: Int)

    /// What the decoder keeps about the pending bytes between calls (see `DecoderScanState`);
    /// `NoScanState` for a decoder that needs nothing.
    associatedtype ScanState: DecoderScanState = NoScanState

    /// `decode`, given what earlier calls on the same pending bytes learnt. `bytes` must begin
    /// where the state's position is (the stream advances the state by every byte it drops)
    /// and hold at least the bytes shown before. The answer is `decode(bytes)`'s.
    func decode(_ bytes: UnsafeRawBufferPointer, resuming state: inout ScanState) -> DecodeStep<Frame>

    /// `decodeFrames` with the stream's scan state, which it leaves at the first byte not consumed.
    func decodeFrames(_ bytes: UnsafeRawBufferPointer, resuming state: inout ScanState,
                      _ body: (Frame) -> Void) -> (consumed: Int, frames: Int)
}

extension FrameDecoder {
    /// `decode` in a loop over `bytes` that stops at the first answer other than a frame: a
    /// `decodeFrames` for decoders whose frames are built once by `decode` anyway, so the run
    /// needs no `DecodeStep` per frame in the stream's loop.
    @inlinable
    public func decodeRun(_ bytes: UnsafeRawBufferPointer, _ body: (Frame) -> Void) -> (consumed: Int, frames: Int) {
        var offset = 0
        var frames = 0
        while offset < bytes.count, case let .frame(frame, consumed) = decode(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            body(frame)
            offset += consumed
            frames += 1
        }
        return (offset, frames)
    }

    /// `decodeRun` for a decoder with a scan state: `decode(_:resuming:)` in a loop, the
    /// state advanced past each frame, stopping at the first answer other than a frame of at
    /// most `maximumFrameLength` bytes. What it learnt about the unfinished frame that ends the
    /// run stays in `state`, so the stream's `decode` after it does not scan that again.
    @inlinable
    public func decodeRun(_ bytes: UnsafeRawBufferPointer, resuming state: inout ScanState,
                          _ body: (Frame) -> Void) -> (consumed: Int, frames: Int) {
        var offset = 0
        var frames = 0
        while offset < bytes.count,
              case let .frame(frame, consumed) = decode(UnsafeRawBufferPointer(rebasing: bytes[offset...]), resuming: &state),
              consumed <= maximumFrameLength {
            body(frame)
            offset += consumed
            frames += 1
            state.advance(by: consumed)
        }
        return (offset, frames)
    }

    /// No fast path: every frame goes through `decode`.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (Frame) -> Void) -> (consumed: Int, frames: Int) {
        (0, 0)
    }

    /// A decoder without a scan state answers from the bytes alone.
    @inlinable @inline(__always)
    public func decode(_ bytes: UnsafeRawBufferPointer, resuming state: inout ScanState) -> DecodeStep<Frame> {
        decode(bytes)
    }

    /// A decoder without a scan state runs its fast path from the bytes alone; the state moves
    /// past what it consumed.
    @inlinable @inline(__always)
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, resuming state: inout ScanState,
                             _ body: (Frame) -> Void) -> (consumed: Int, frames: Int) {
        let run = decodeFrames(bytes, body)
        state.advance(by: run.consumed)
        return run
    }
}

/// What a decoder says about the bytes in front of it.
public enum DecodeStep<Frame> {
    /// A complete frame that used the first `consumed` bytes.
    case frame(Frame, consumed: Int)
    /// The bytes are a plausible frame start; more are needed.
    case needMore
    /// The first `count` bytes (at least 1) are not the start of a good frame.
    case skip(count: Int, because: DecodeIssue)
}

/// Why bytes were skipped. Counted, logged, never fatal.
public enum DecodeIssue: Sendable, Equatable, CustomStringConvertible {
    /// Bytes before the next plausible frame start.
    case garbage
    /// A frame whose checksum did not match.
    case badChecksum(expected: UInt32, actual: UInt32)
    /// A frame with a field that cannot be right (direction byte, length…). Use a string
    /// literal: an interpolated reason allocates on every bad frame.
    case malformed(String)
    /// A frame longer than `maximumFrameLength`.
    case oversized

    public var description: String {
        switch self {
        case .garbage: return "garbage before a frame start"
        case let .badChecksum(expected, actual):
            return "bad checksum: expected 0x\(String(expected, radix: 16)), frame carries 0x\(String(actual, radix: 16))"
        case let .malformed(why): return "malformed frame: \(why)"
        case .oversized: return "frame longer than the protocol allows"
        }
    }
}
