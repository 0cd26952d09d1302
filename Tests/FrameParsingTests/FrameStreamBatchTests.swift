import Testing
@testable import FrameParsing

/// `forEachFrame(in:)` decodes from the caller's bytes; it must give exactly what
/// `append` + `next()` gives, for every decoder, however the input is split or mixed.
@Suite struct FrameStreamBatchTests {
    /// What a run of a stream produced: the frames, the counters and what stayed pending.
    struct Outcome<Frame: Equatable>: Equatable {
        var frames: [Frame] = []
        var counters = DecodeCounters()
        var pending = 0
    }

    /// The reference: all bytes appended at once, then `next()` until nil.
    static func reference<D: FrameDecoder>(_ decoder: D, _ bytes: [UInt8]) -> Outcome<D.Frame> where D.Frame: Equatable {
        var stream = FrameStream(decoder)
        var out = Outcome<D.Frame>()
        stream.append(bytes)
        while let f = stream.next() { out.frames.append(f) }
        out.counters = stream.counters
        out.pending = stream.pendingCount
        return out
    }

    /// `chunks` fed one by one, each through `forEachFrame` when `batch(i)` says so, else
    /// through `append` + `next()`.
    static func fed<D: FrameDecoder>(_ decoder: D, _ chunks: [[UInt8]], batch: (Int) -> Bool) -> Outcome<D.Frame> where D.Frame: Equatable {
        var stream = FrameStream(decoder)
        var out = Outcome<D.Frame>()
        for (i, chunk) in chunks.enumerated() {
            if batch(i) {
                chunk.withUnsafeBytes { stream.forEachFrame(in: $0) { out.frames.append($0) } }
                #expect(stream.pendingCount <= decoder.maximumFrameLength)
            } else {
                stream.append(chunk)
                while let f = stream.next() { out.frames.append(f) }
            }
        }
        out.counters = stream.counters
        out.pending = stream.pendingCount
        return out
    }

    static func randomChunks(_ bytes: [UInt8], _ rng: inout SplitMix, maxChunk: Int) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            let n = Int(rng.next() % UInt64(maxChunk + 1))
            chunks.append(Array(bytes[i..<min(bytes.count, i + n)]))
            i += n
        }
        return chunks
    }

    /// A noisy TaiDoc reply stream: good frames of both directions, bad checksums, false
    /// starts, garbage and truncated frames.
    static func noisyTaiDoc(_ rng: inout SplitMix, frames: Int) -> [UInt8] {
        var s: [UInt8] = []
        for _ in 0..<frames {
            let r = rng.next()
            var f = TaiDocFrame(command: UInt8(truncatingIfNeeded: r >> 8),
                                payload: (UInt8(truncatingIfNeeded: r >> 16), UInt8(truncatingIfNeeded: r >> 24),
                                          UInt8(truncatingIfNeeded: r >> 32), 0x51),
                                direction: r & 7 == 0 ? .hostToMeter : .meterToHost).bytes
            switch r % 11 {
            case 0: f[7] &+= 1
            case 1: f = Array(f[0..<Int(r >> 40) % 8])
            case 2: f = [0x51, 0x51, 0x00, UInt8(truncatingIfNeeded: r >> 48)]
            default: break
            }
            s += f
        }
        return s
    }

    @Test func taiDocBatchEqualsAppendNextForRandomSplits() {
        var rng = SplitMix(seed: 11)
        for round in 0..<200 {
            let bytes = Self.noisyTaiDoc(&rng, frames: 60)
            let expected = Self.reference(TaiDocFrameDecoder(), bytes)
            let chunks = Self.randomChunks(bytes, &rng, maxChunk: round % 2 == 0 ? 12 : 300)
            #expect(Self.fed(TaiDocFrameDecoder(), chunks) { _ in true } == expected)
            let mix = rng.next()
            #expect(Self.fed(TaiDocFrameDecoder(), chunks) { (mix >> ($0 % 64)) & 1 == 1 } == expected)
        }
    }

    @Test func taiDocBatchByteByByteAndWhole() {
        var rng = SplitMix(seed: 5)
        let bytes = Self.noisyTaiDoc(&rng, frames: 300)
        let expected = Self.reference(TaiDocFrameDecoder(), bytes)
        #expect(expected.frames.count > 150)
        #expect(expected.counters.badChecksums > 0 && expected.counters.malformed > 0 && expected.counters.garbageBytes > 0)
        #expect(Self.fed(TaiDocFrameDecoder(), bytes.map { [$0] }) { _ in true } == expected)
        #expect(Self.fed(TaiDocFrameDecoder(), [bytes]) { _ in true } == expected)
        #expect(Self.fed(TaiDocFrameDecoder(direction: .hostToMeter), [bytes]) { _ in true }
            == Self.reference(TaiDocFrameDecoder(direction: .hostToMeter), bytes))
    }

    /// A variable-length decoder that does not police its own maximum: the stream's guard
    /// must drop its long frames the same way on both paths.
    @Test func variableLengthFramesAndOversizeAgreeOnBothPaths() {
        var rng = SplitMix(seed: 3)
        let alphabet: [UInt8] = Array("<>ab".utf8)
        var seen = DecodeCounters()
        for round in 0..<300 {
            let bytes = (0..<400).map { _ in alphabet[Int(rng.next() % (round % 3 == 0 ? 3 : 4))] }
            let expected = Self.reference(AngleDecoder(), bytes)
            seen.frames += expected.counters.frames
            seen.oversized += expected.counters.oversized
            let chunks = Self.randomChunks(bytes, &rng, maxChunk: 1 + round % 40)
            let mix = rng.next()
            #expect(Self.fed(AngleDecoder(), chunks) { _ in true } == expected)
            #expect(Self.fed(AngleDecoder(), chunks) { (mix >> ($0 % 64)) & 1 == 1 } == expected)
        }
        #expect(seen.frames > 1000 && seen.oversized > 100)
    }

    @Test func appendCompactsSoTheBufferStaysSmall() {
        var rng = SplitMix(seed: 9)
        let bytes = Self.noisyTaiDoc(&rng, frames: 40_000)
        var stream = FrameStream(TaiDocFrameDecoder())
        for chunk in Self.randomChunks(bytes, &rng, maxChunk: 100) {
            stream.append(chunk)
            while stream.next() != nil {}
            #expect(stream.pendingCount <= TaiDocFrame.length)
        }
        #expect(stream.buffer.capacity <= 1024)
    }
}

/// Test decoder: a frame is `<…>`; garbage runs to the next `<`; frames of any length are
/// reported, so the stream must enforce `maximumFrameLength` itself.
struct AngleDecoder: FrameDecoder {
    var maximumFrameLength: Int { 10 }

    func decode(_ bytes: UnsafeRawBufferPointer) -> DecodeStep<[UInt8]> {
        guard let first = bytes.first else { return .needMore }
        guard first == UInt8(ascii: "<") else {
            let next = bytes.dropFirst().firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
            return .skip(count: next, because: .garbage)
        }
        guard let close = bytes.firstIndex(of: UInt8(ascii: ">")) else { return .needMore }
        return .frame(Array(bytes[1..<close]), consumed: close + 1)
    }
}
