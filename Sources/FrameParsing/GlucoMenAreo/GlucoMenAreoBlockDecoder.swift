/// Finds GlucoMen areo reply blocks (`[` CR LF … checksum CR LF `]` CR LF) in a byte stream.
///
/// - Bytes before a `[` are skipped as garbage in one scan (the meter's echo, line noise).
/// - Every line must end with CR LF and be at most `maximumLineLength` bytes; `[` CR LF inside
///   a block (a line that is or ends with `[`) means the meter began again, and the abandoned
///   block is dropped up to that `[`.
/// - The line before `]` must be two hex digits equal to the CRC-8/MAXIM of every byte before
///   it; a block that fails is skipped whole and counted as a bad checksum.
/// - A block is at most `maximumBlockLength` bytes. Each call scans the pending bytes once,
///   looking at each at most twice (line ends, then the checksum); `examined` counts them.
///   With the stream's scan state, a block arriving in reads is checked from its first
///   unfinished line, so its bytes are looked at once however they arrive.
public struct GlucoMenAreoBlockDecoder: FrameDecoder, Sendable {
    public typealias ScanState = GlucoMenAreoScanState

    /// The longest reply block pocgate accepts. The meter's memory size is not public; 64 KiB
    /// holds about 2,000 reading lines of 30 bytes.
    public static let maximumBlockLength = 65_536
    /// The longest content line, without its CR LF (a reading line is about 30 bytes).
    public static let maximumLineLength = 80

    public init() {}

    public var maximumFrameLength: Int { Self.maximumBlockLength }

    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer) -> DecodeStep<GlucoMenAreoBlock> {
        var examined = 0
        return decode(b, examined: &examined)
    }

    /// `decode`, adding to `examined` the bytes its scans looked at (for the linear-work tests).
    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer, examined: inout Int) -> DecodeStep<GlucoMenAreoBlock> {
        var state = GlucoMenAreoScanState()
        let step = decode(b, resuming: &state)
        examined += state.examined
        return step
    }

    /// `decode` from where earlier calls on the same pending bytes stopped: the lines of an
    /// unfinished block already checked are not checked again.
    @inlinable
    public func decode(_ b: UnsafeRawBufferPointer, resuming state: inout GlucoMenAreoScanState) -> DecodeStep<GlucoMenAreoBlock> {
        let open: UInt8 = 0x5B, close: UInt8 = 0x5D, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        guard !b.isEmpty else { return .needMore }
        guard b[0] == open else {
            var next = 1
            while next < b.count && b[next] != open { next += 1 }
            state.examined += next
            return .skip(count: next, because: .garbage)
        }
        if b.count < 3 {
            if b.count == 2 && b[1] != cr { return .skip(count: 1, because: .malformed("'[' not followed by CR LF")) }
            return .needMore
        }
        guard b[1] == cr, b[2] == lf else { return .skip(count: 1, because: .malformed("'[' not followed by CR LF")) }
        let window = min(b.count, Self.maximumBlockLength)
        // The checked lines of this block, when an earlier call on the same bytes checked some.
        var lineStart = state.lineStart > 0 ? state.lineStart : 3
        var previousStart = state.lineStart > 0 ? state.previousStart : -1
        var lines = state.lineStart > 0 ? state.lines : 0
        // Bytes of the first unchecked line already searched for its LF.
        var searched = state.lineStart > 0 ? state.searched : lineStart
        while true {
            var end = searched
            let limit = min(window, lineStart + Self.maximumLineLength + 2)
            while end < limit && b[end] != lf { end += 1 }
            state.examined += end - searched + 1
            guard end < limit else {
                if limit - lineStart >= Self.maximumLineLength + 2 {
                    return .skip(count: 1, because: .malformed("line longer than 80 bytes in a reply block"))
                }
                if b.count >= Self.maximumBlockLength { return .skip(count: 1, because: .oversized) }
                state.lineStart = lineStart
                state.previousStart = previousStart
                state.lines = lines
                state.searched = end
                return .needMore
            }
            guard end > lineStart, b[end - 1] == cr else {
                return .skip(count: 1, because: .malformed("line in a reply block not ended by CR LF"))
            }
            let length = end - 1 - lineStart
            // `[` CR LF anywhere is where a block may start (after garbage on the same line): the
            // block so far is abandoned up to it, so no byte is scanned again from a later start.
            if length >= 1 && b[end - 2] == open {
                return .skip(count: end - 2, because: .malformed("reply block abandoned: a new '[' line began"))
            }
            if length == 1 && b[lineStart] == close {
                return closed(b, previousStart: previousStart, closeEnd: end, lines: lines, examined: &state.examined)
            }
            previousStart = lineStart
            lines += 1
            lineStart = end + 1
            searched = lineStart
        }
    }

    /// The block ended by the `]` line whose LF is at `closeEnd`: its checksum line checked.
    @inlinable
    func closed(_ b: UnsafeRawBufferPointer, previousStart: Int, closeEnd: Int, lines: Int,
                examined: inout Int) -> DecodeStep<GlucoMenAreoBlock> {
        let consumed = closeEnd + 1
        guard lines >= 2 else {
            return .skip(count: consumed, because: .malformed("reply block without a content line and a checksum line"))
        }
        guard closeEnd - previousStart == 6, let carried = ASCIIHex.parse(b, at: previousStart, count: 2) else {
            return .skip(count: consumed, because: .malformed("reply block checksum line is not two hex digits"))
        }
        let covered = UnsafeRawBufferPointer(rebasing: b[0..<previousStart])
        examined += covered.count
        let computed = CRC8.maxim.checksum(covered)
        guard UInt8(carried) == computed else {
            return .skip(count: consumed, because: .badChecksum(expected: UInt32(computed), actual: UInt32(carried)))
        }
        var content: [[UInt8]] = []
        content.reserveCapacity(lines - 1)
        var start = 3
        var i = 3
        while i < previousStart {
            if b[i] == 0x0A {
                content.append(Array(UnsafeRawBufferPointer(rebasing: b[start..<(i - 1)])))
                start = i + 1
            }
            i += 1
        }
        return .frame(GlucoMenAreoBlock(lines: content, checksum: computed), consumed: consumed)
    }

    /// The run of blocks at the start of `bytes`, each handed to `body`.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, _ body: (GlucoMenAreoBlock) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, body)
    }

    /// `decodeFrames` with the stream's scan state: the lines checked of the unfinished block
    /// that ends the run are kept, so the stream's `decode` after it does not check them again.
    @inlinable
    public func decodeFrames(_ bytes: UnsafeRawBufferPointer, resuming state: inout GlucoMenAreoScanState,
                             _ body: (GlucoMenAreoBlock) -> Void) -> (consumed: Int, frames: Int) {
        decodeRun(bytes, resuming: &state, body)
    }
}

/// What the GlucoMen areo decoder learnt about the unfinished block at a stream's decode
/// position (see `DecoderScanState`): the lines it checked, where the next one starts and how
/// far that one was searched.
public struct GlucoMenAreoScanState: DecoderScanState, Sendable {
    /// Where the first unchecked line starts, from the decode position (0: nothing known).
    @usableFromInline var lineStart = 0
    /// Where the last checked line starts (-1: none).
    @usableFromInline var previousStart = -1
    /// The lines checked.
    @usableFromInline var lines = 0
    /// Where the search for the first unchecked line's LF stopped.
    @usableFromInline var searched = 0
    /// Bytes the decoder's scans looked at, for cost tests; never reset.
    public var examined = 0

    @inlinable public init() {}

    /// The decode position moved: what was learnt was about the block that was there.
    @inlinable public mutating func advance(by count: Int) {
        if count > 0 { lineStart = 0; previousStart = -1; lines = 0; searched = 0 }
    }
}
