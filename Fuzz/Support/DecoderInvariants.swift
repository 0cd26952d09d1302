import FrameParsing
#if canImport(Glibc)
import Glibc
#endif

/// The invariants every decoder's fuzz target checks. A violation stops the process with a
/// message (`fatalError`), so libFuzzer records the input as a crash.
enum DecoderInvariants {
    /// What feeding a stream produced.
    struct Outcome<Frame: Equatable>: Equatable {
        var frames: [Frame] = []
        var counters = DecodeCounters()
        var pending = 0
    }

    /// Runs every check on `input` and returns the reference frames (the whole stream
    /// appended once, then `next()` until nil) for the target's own checks.
    ///
    /// - The same frames, counters and pending bytes come out whether the stream is fed
    ///   whole or split at the fuzzer's point, through `append` + `next()`, through
    ///   `forEachFrame`, mixed either way, and in small chunks with the paths interleaved.
    /// - After every drain at most `maximumFrameLength` bytes stay pending.
    /// - The decoder alone: lengths it reports lie inside the bytes it was shown, a frame
    ///   shown exactly its own bytes decodes the same (or asks for more), and `decodeFrames` finds a prefix of the
    ///   frames `decode` finds (all of them when `fastPathIsComplete`); its frames, up to where
    ///   it needs more, are the stream's (a decoder's scan state only saves work).
    static func check<D: FrameDecoder>(_ decoder: D, _ input: FuzzInput, fastPathIsComplete: Bool) -> [D.Frame]
    where D.Frame: Equatable {
        let whole = feed(decoder, [input.stream]) { _ in false }
        let halves = [UnsafeRawBufferPointer(rebasing: input.stream[..<input.split]),
                      UnsafeRawBufferPointer(rebasing: input.stream[input.split...])]
        expect(feed(decoder, [input.stream]) { _ in true } == whole, "forEachFrame on the whole stream differs from append + next")
        expect(feed(decoder, halves) { _ in false } == whole, "append + next split at \(input.split) differs")
        expect(feed(decoder, halves) { _ in true } == whole, "forEachFrame split at \(input.split) differs")
        expect(feed(decoder, halves) { $0 == 0 } == whole, "forEachFrame then append + next differs")
        expect(feed(decoder, halves) { $0 == 1 } == whole, "append + next then forEachFrame differs")
        var chunks: [UnsafeRawBufferPointer] = []
        var offset = 0
        while offset < input.stream.count {
            let end = min(input.stream.count, offset + input.chunk)
            chunks.append(UnsafeRawBufferPointer(rebasing: input.stream[offset..<end]))
            offset = end
        }
        expect(feed(decoder, chunks) { (input.pattern >> ($0 % 3)) & 1 == 1 } == whole,
               "chunks of \(input.chunk) with pattern \(input.pattern) differ")
        let walked = checkDecoder(decoder, input.stream, fastPathIsComplete: fastPathIsComplete)
        expect(walked == Array(whole.frames.prefix(walked.count)),
               "the decoder asked afresh at every position finds other frames than the stream (a scan state changed an answer)")
        if input.chunk == 16, input.pattern == 7 { checkLinearCost(decoder, input.stream) }
        return whole.frames
    }

    /// The bytes an amplified input has: the stream repeated to at least this many.
    static let amplifiedBytes = 256 * 1024
    /// How much more processor time four times the bytes may take. A linear decoder takes
    /// about 4×; one that scans ahead over everything pending for every byte it skips takes
    /// 16× (`b'P '` for Ultra 2, `0x0B` runs for MLLP took 8 s and longer for 256 KiB before
    /// they were made linear). A ratio, not a rate: a slow but linear decoder under
    /// AddressSanitizer on a loaded machine must not fail, a quadratic one must.
    static let maximumGrowth: UInt64 = 8
    /// Timer and cache noise allowed on top of the ratio.
    static let slackNanoseconds: UInt64 = 10_000_000
    /// A bound on any decoder, linear or not: 50 µs of processor time per byte.
    static let nanosecondsPerByte: UInt64 = 50_000

    /// Linear cost whatever the bytes: the input repeated to a quarter of `amplifiedBytes` and
    /// to all of it (a long run of start bytes, separators, unterminated blocks when the input
    /// is one), each decoded whole through `append` + `next()`; the larger may cost at most
    /// `maximumGrowth` times the smaller (plus `slackNanoseconds`) in this thread's processor
    /// time (the least of three runs each), and never more than `nanosecondsPerByte`. Processor time, not wall time, so other
    /// load on the machine does not count. Run for one input in 128 (chunk 16, pattern 7),
    /// chosen by the control bytes so a saved input replays the check.
    static func checkLinearCost<D: FrameDecoder>(_ decoder: D, _ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        // The least of three runs each: a page fault or a cache flush caused by other load can
        // inflate one run's processor time; a super-linear decoder is slow in every run.
        let small = leastOfThree { processorTime(decoder, bytes, repeatedTo: amplifiedBytes / 4) }
        let large = leastOfThree { processorTime(decoder, bytes, repeatedTo: amplifiedBytes) }
        expect(large.nanoseconds <= maximumGrowth * small.nanoseconds + slackNanoseconds,
               "decoding \(large.bytes) bytes (the input repeated) took \(large.nanoseconds / 1_000_000) ms of processor time, "
               + "\(small.bytes) bytes took \(small.nanoseconds / 1_000_000) ms: more than \(maximumGrowth)× for 4× the bytes, "
               + "the decoder is not linear in its input")
        expect(large.nanoseconds <= nanosecondsPerByte * UInt64(large.bytes),
               "decoding \(large.bytes) bytes took \(large.nanoseconds / 1_000_000) ms of processor time, more than "
               + "\(nanosecondsPerByte) ns per byte")
    }

    /// The fastest of three measurements.
    static func leastOfThree(_ measure: () -> (bytes: Int, nanoseconds: UInt64)) -> (bytes: Int, nanoseconds: UInt64) {
        (0..<3).map { _ in measure() }.min { $0.nanoseconds < $1.nanoseconds }!
    }

    /// This thread's processor time to decode `bytes` repeated to at least `count` bytes.
    static func processorTime<D: FrameDecoder>(_ decoder: D, _ bytes: UnsafeRawBufferPointer,
                                               repeatedTo count: Int) -> (bytes: Int, nanoseconds: UInt64) {
        var big: [UInt8] = []
        big.reserveCapacity(count + bytes.count)
        while big.count < count { big.append(contentsOf: bytes) }
        let start = threadNanoseconds()
        var stream = FrameStream(decoder)
        stream.append(big)
        var frames = 0
        while stream.next() != nil { frames += 1 }
        return (big.count, threadNanoseconds() - start)
    }

    /// This thread's processor time in nanoseconds.
    static func threadNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Feeds `chunks` in order, each through `forEachFrame` when `batch(index)` is true,
    /// otherwise through `append` then `next()` until nil.
    static func feed<D: FrameDecoder>(_ decoder: D, _ chunks: [UnsafeRawBufferPointer], batch: (Int) -> Bool) -> Outcome<D.Frame>
    where D.Frame: Equatable {
        var stream = FrameStream(decoder)
        var out = Outcome<D.Frame>()
        for (i, chunk) in chunks.enumerated() {
            if batch(i) {
                stream.forEachFrame(in: chunk) { out.frames.append($0) }
            } else {
                stream.append(chunk)
                while let frame = stream.next() { out.frames.append(frame) }
            }
            expect(stream.pendingCount <= decoder.maximumFrameLength,
                   "\(stream.pendingCount) bytes pending, more than the maximum frame length \(decoder.maximumFrameLength)")
        }
        expect(stream.counters.frames == out.frames.count, "counters.frames \(stream.counters.frames) ≠ \(out.frames.count) frames")
        out.counters = stream.counters
        out.pending = stream.pendingCount
        return out
    }

    /// Walks `bytes` with the decoder alone and checks each answer; returns the frames found.
    static func checkDecoder<D: FrameDecoder>(_ decoder: D, _ bytes: UnsafeRawBufferPointer, fastPathIsComplete: Bool) -> [D.Frame]
    where D.Frame: Equatable {
        var all: [D.Frame] = []
        var offset = 0
        var runStart: Int?
        var run: [D.Frame] = []
        var runEnds: [Int] = []
        func closeRun() {
            guard let start = runStart else { return }
            checkFastPath(decoder, UnsafeRawBufferPointer(rebasing: bytes[start...]), run, runEnds.map { $0 - start },
                          complete: fastPathIsComplete)
            runStart = nil
            run = []
            runEnds = []
        }
        while offset < bytes.count {
            let window = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch decoder.decode(window) {
            case let .frame(frame, consumed):
                expect(consumed >= 1 && consumed <= window.count, "frame length \(consumed) outside the \(window.count) bytes shown")
                guard consumed <= decoder.maximumFrameLength else { closeRun(); offset += 1; continue }
                switch decoder.decode(UnsafeRawBufferPointer(rebasing: window[..<consumed])) {
                case let .frame(again, used) where again == frame && used == consumed: break
                case .needMore: break
                default: fatalError("the frame at \(offset) decodes differently from exactly its own \(consumed) bytes")
                }
                if runStart == nil { runStart = offset }
                run.append(frame)
                all.append(frame)
                offset += consumed
                runEnds.append(offset)
            case .needMore:
                closeRun()
                return all
            case let .skip(count, _):
                expect(count >= 1 && count <= window.count, "skip of \(count) outside the \(window.count) bytes shown")
                closeRun()
                offset += max(1, count)
            }
        }
        closeRun()
        return all
    }

    /// `decodeFrames` at the start of a run of frames found by `decode`.
    static func checkFastPath<D: FrameDecoder>(_ decoder: D, _ bytes: UnsafeRawBufferPointer, _ run: [D.Frame],
                                               _ ends: [Int], complete: Bool) where D.Frame: Equatable {
        var fast: [D.Frame] = []
        let (consumed, count) = decoder.decodeFrames(bytes) { fast.append($0) }
        expect(count == fast.count, "decodeFrames reported \(count) frames and delivered \(fast.count)")
        expect(fast.count <= run.count && Array(run.prefix(fast.count)) == fast, "decodeFrames found frames decode does not")
        expect(consumed == (fast.isEmpty ? 0 : ends[fast.count - 1]), "decodeFrames consumed \(consumed) bytes for \(fast.count) frames")
        if complete { expect(fast.count == run.count, "decodeFrames stopped after \(fast.count) of \(run.count) frames") }
    }

    static func expect(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("invariant violated: \(message())") }
    }
}
