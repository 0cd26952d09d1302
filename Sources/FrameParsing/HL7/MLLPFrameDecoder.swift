#if canImport(Glibc)
import Glibc
#endif

/// Finds MLLP blocks (`0x0B` message `0x1C 0x0D`) in a byte stream.
///
/// - Bytes before a start byte are skipped in one `memchr` scan (line noise, a half block
///   from before the gateway opened the port).
/// - A start byte inside an unfinished block means the sender gave up on that block and began
///   again: the abandoned part is skipped as malformed, and the new block decodes.
/// - `0x1C` followed by anything but `0x0D` ends a malformed block, which is skipped.
/// - A block longer than `maximumFrameLength` is dropped by the stream as oversized; its
///   remaining bytes are then garbage up to the next start byte.
public struct MLLPFrameDecoder: FrameDecoder, Sendable {
    public typealias ScanState = MLLPScanState

    /// The default bound on one message: 1 MiB, room for a 12-lead resting ECG sent as
    /// numeric arrays (12 × 5000 samples of up to 6 characters each is about 360 KiB).
    public static let defaultMaximumMessageLength = 1 << 20

    /// The longest payload accepted.
    public let maximumMessageLength: Int

    public init(maximumMessageLength: Int = MLLPFrameDecoder.defaultMaximumMessageLength) {
        self.maximumMessageLength = max(1, maximumMessageLength)
    }

    public var maximumFrameLength: Int { maximumMessageLength + 3 }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<MLLPBlock> {
        var examined = 0
        return decode(b, examined: &examined)
    }

    /// `decode`, adding to `examined` the bytes its scans looked at. The next start byte is
    /// looked for first and the end byte only before it, so a run of start bytes (each one an
    /// abandoned block) costs one byte look each, not a scan of a maximum-length window each.
    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer, examined: inout Int) -> DecodeStep<MLLPBlock> {
        var clean = 0
        return decode(b, clean: &clean, examined: &examined)
    }

    /// `decode` with what earlier calls learnt about the unfinished block in front of it: a
    /// block arriving in reads is searched from where the last read's search ended, so each
    /// of its bytes is looked at once, not once per read (a 1 MiB message in 4 KiB reads was
    /// searched 256 times over).
    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer, resuming state: inout MLLPScanState) -> DecodeStep<MLLPBlock> {
        decode(b, clean: &state.clean, examined: &state.examined)
    }

    /// The decoder itself. `clean`: bytes `1..<clean` of the block were searched by an earlier
    /// call on the same bytes and hold neither a start nor an end byte; updated for the next call.
    @inlinable
    func decode(_ b: UnsafeRawBufferPointer, clean: inout Int, examined: inout Int) -> DecodeStep<MLLPBlock> {
        guard let base = b.baseAddress, !b.isEmpty else { return .needMore }
        guard b[0] == MLLPBlock.start else {
            let next = MLLPScan.find(MLLPBlock.start, base + 1, b.count - 1, examined: &examined).map { $0 + 1 } ?? b.count
            return .skip(count: next, because: .garbage)
        }
        // Look for the end byte no further than a payload of the maximum length could put it
        // (offset `maximumMessageLength + 1`). The answer then depends only on the bytes up to
        // there, however many more are shown: an end byte beyond it is an oversized block
        // whether or not the byte after it has arrived (or is a CR).
        let window = min(b.count, maximumMessageLength + 2)
        let from = max(1, min(clean, window))
        let restart = MLLPScan.find(MLLPBlock.start, base + from, window - from, examined: &examined).map { $0 + from }
        // The end byte counts only before a new start byte: a start byte inside the block
        // means the sender abandoned it.
        let end = MLLPScan.find(MLLPBlock.end, base + from, (restart ?? window) - from, examined: &examined).map { $0 + from }
        guard let end else {
            if let restart {
                return .skip(count: restart, because: .malformed("MLLP block abandoned: a new start byte arrived before its end"))
            }
            clean = window
            return .needMore
        }
        guard end + 1 < b.count else {
            clean = end
            return .needMore
        }
        guard b[end + 1] == MLLPBlock.carriageReturn else {
            return .skip(count: end + 1, because: .malformed("MLLP end byte 0x1C not followed by 0x0D"))
        }
        let payload = [UInt8](UnsafeRawBufferPointer(rebasing: b[1..<end]))
        return .frame(MLLPBlock(payload: payload), consumed: end + 2)
    }

    /// The run of blocks at the start of `bytes`: `decode` in a loop that stops at the first
    /// answer other than a block.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (MLLPBlock) -> Void) -> (consumed: Int, frames: Int) {
        var state = MLLPScanState()
        return decodeRun(bytes, resuming: &state, body)
    }

    /// `decodeFrames` with the stream's scan state: the search of the unfinished block that
    /// ends the run is kept, so the stream's `decode` after it does not search it again.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, resuming state: inout MLLPScanState,
                             _ body: (MLLPBlock) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, resuming: &state, body)
    }
}

/// What the MLLP decoder learnt about the unfinished block at a stream's decode position (see
/// `DecoderScanState`): how far past its start byte there is neither a start nor an end byte.
public struct MLLPScanState: DecoderScanState, Sendable {
    /// Bytes `1..<clean` from the decode position hold no start and no end byte (0: unknown).
    @usableFromInline var clean = 0
    /// Bytes the decoder's scans looked at, for cost tests; never reset.
    public var examined = 0

    @inlinable public init() {}

    /// The decode position moved: what was learnt was about the block that was there.
    @inlinable public mutating func advance(by count: Int) {
        if count > 0 { clean = 0 }
    }
}

/// The byte scan under the MLLP decoder: the C library's `memchr`, which compares a machine
/// word (or a vector) of bytes per step.
@usableFromInline
enum MLLPScan {
    /// The offset of the first `byte` among the `count` bytes at `start`, or nil.
    @usableFromInline
    static func find(_ byte: UInt8, _ start: UnsafeRawPointer, _ count: Int, examined: inout Int) -> Int? {
        guard count > 0, let hit = memchr(start, Int32(byte), count) else {
            examined += max(0, count)
            return nil
        }
        let offset = UnsafeRawPointer(hit) - start
        examined += offset + 1
        return offset
    }
}
