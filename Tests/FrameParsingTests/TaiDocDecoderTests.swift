import Testing
import FrameParsing
import TestSupport

@Suite struct TaiDocDecoderTests {
    /// A reply stream with garbage, a bad checksum and a wrong-direction frame between good frames.
    static let good: [[UInt8]] = [
        TaiDocFrame(command: 0x22, direction: .meterToHost).bytes,
        TaiDocFrame(command: 0x24, payload: (0x77, 0x42, 0, 0), direction: .meterToHost).bytes,
        TaiDocFrame(command: 0x23, payload: (0x04, 0x27, 0x25, 0x0D), direction: .meterToHost).bytes,
        TaiDocFrame(command: 0x26, payload: (0x78, 0, 0, 0x40), direction: .meterToHost).bytes,
    ]

    static var noisy: [UInt8] {
        var s: [UInt8] = [0x00, 0xFF, 0x51, 0x13]             // garbage incl. a false start
        s += good[0]
        var bad = good[1]; bad[7] &+= 1                      // bad checksum
        s += bad
        s += good[1]
        s += TaiDocFrame(command: 0x26, direction: .hostToMeter).bytes  // our own echo, wrong direction
        s += [0x51, 0x51]
        s += good[2]
        s += good[3]
        s += [0x51, 0x26, 0x00]                              // truncated tail
        return s
    }

    static func frames(_ chunks: [[UInt8]]) -> ([[UInt8]], DecodeCounters) {
        var stream = FrameStream(TaiDocFrameDecoder())
        var out: [[UInt8]] = []
        for c in chunks {
            stream.append(c)
            while let f = stream.next() { out.append(f.bytes) }
        }
        return (out, stream.counters)
    }

    @Test func resynchronisesAndKeepsEveryGoodFrame() {
        let (frames, counters) = Self.frames([Self.noisy])
        #expect(frames == Self.good)
        #expect(counters.badChecksums >= 1)
        #expect(counters.garbageBytes >= 1)
    }

    @Test func anySplitGivesTheSameFrames() {
        let whole = Self.frames([Self.noisy]).0
        // every single-cut split, and byte by byte
        for cut in 0...Self.noisy.count {
            #expect(Self.frames([Array(Self.noisy[..<cut]), Array(Self.noisy[cut...])]).0 == whole)
        }
        #expect(Self.frames(Self.noisy.map { [$0] }).0 == whole)
        // random multi-way splits, deterministic generator
        var rng = SplitMix(seed: 42)
        for _ in 0..<500 {
            var chunks: [[UInt8]] = []
            var i = 0
            while i < Self.noisy.count {
                let n = Int(rng.next() % 11)
                chunks.append(Array(Self.noisy[i..<min(Self.noisy.count, i + n)]))
                i += n
            }
            #expect(Self.frames(chunks).0 == whole)
        }
    }

    @Test func sharedVerifierAgrees() {
        let v = DecoderVerifier(TaiDocFrameDecoder())
        #expect(v.splitFailures(Self.noisy, randomSplits: 100).isEmpty)
        #expect(v.garbageFailures().isEmpty)
        for seed: UInt64 in 1...20 {
            let capture = DecoderVerifier<TaiDocFrameDecoder>.withGarbage(Self.good, fraction: 0.10, seed: seed)
            #expect(v.frames(capture).map(\.bytes) == Self.good, "seed \(seed)")
        }
    }

    @Test func randomGarbageNeverCrashesAndBufferStaysBounded() {
        var rng = SplitMix(seed: 7)
        var stream = FrameStream(TaiDocFrameDecoder())
        for _ in 0..<2000 {
            let chunk = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            stream.append(chunk)
            while stream.next() != nil {}
            #expect(stream.pendingCount < TaiDocFrame.length)
        }
    }
}

/// A small deterministic PRNG for reproducible property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
