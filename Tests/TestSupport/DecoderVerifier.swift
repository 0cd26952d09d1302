public import FrameParsing

/// Checks any `FrameDecoder` against the streaming contract: the same frames whether a byte
/// stream arrives whole, one byte at a time, cut at any single boundary or at random multi-way
/// cuts; and a bounded pending buffer on random garbage. Returns failure descriptions (empty =
/// pass), so a test writes `#expect(verifier.splitFailures(stream).isEmpty)`.
public struct DecoderVerifier<Decoder: FrameDecoder> where Decoder.Frame: Equatable {
    public let decoder: Decoder

    public init(_ decoder: Decoder) { self.decoder = decoder }

    /// The frames (and counters) `chunks` decode to, appended one chunk at a time.
    public func frames(_ chunks: [[UInt8]]) -> (frames: [Decoder.Frame], counters: DecodeCounters) {
        var stream = FrameStream(decoder)
        var out: [Decoder.Frame] = []
        for c in chunks {
            stream.append(c)
            while let f = stream.next() { out.append(f) }
        }
        return (out, stream.counters)
    }

    /// The frames of `stream` appended whole.
    public func frames(_ stream: [UInt8]) -> [Decoder.Frame] { frames([stream]).frames }

    /// Compares whole-stream decoding with byte-by-byte, every single cut, and `randomSplits`
    /// random multi-way splits (chunks of 0…`maxChunk` bytes).
    public func splitFailures(_ stream: [UInt8], randomSplits: Int = 300, maxChunk: Int = 11, seed: UInt64 = 42) -> [String] {
        let whole = frames(stream)
        var failures: [String] = []
        if frames(stream.map { [$0] }).frames != whole { failures.append("byte-by-byte differs from whole stream") }
        for cut in 0...stream.count where frames([Array(stream[..<cut]), Array(stream[cut...])]).frames != whole {
            failures.append("cut at \(cut) differs from whole stream")
        }
        var rng = SeededRandom(seed: seed)
        for round in 0..<randomSplits {
            var chunks: [[UInt8]] = []
            var i = 0
            while i < stream.count {
                let n = rng.below(maxChunk + 1)
                chunks.append(Array(stream[i..<min(stream.count, i + n)]))
                i += n
            }
            if frames(chunks).frames != whole { failures.append("random split round \(round) differs from whole stream") }
        }
        return failures
    }

    /// Feeds `rounds` chunks of random bytes; fails when the pending buffer ever exceeds the
    /// decoder's `maximumFrameLength`.
    public func garbageFailures(rounds: Int = 2000, seed: UInt64 = 7) -> [String] {
        var rng = SeededRandom(seed: seed)
        var stream = FrameStream(decoder)
        for round in 0..<rounds {
            stream.append((0..<rng.below(64)).map { _ in rng.byte() })
            while stream.next() != nil {}
            if stream.pendingCount > decoder.maximumFrameLength {
                return ["pending \(stream.pendingCount) bytes after round \(round), more than \(decoder.maximumFrameLength)"]
            }
        }
        return []
    }

    /// `frames` concatenated with random bytes inserted between them, about `fraction` of the
    /// output. `avoiding` bytes are never inserted (none by default).
    public static func withGarbage(_ frames: [[UInt8]], fraction: Double = 0.10, seed: UInt64 = 99,
                                   avoiding: Set<UInt8> = []) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        let total = frames.reduce(0) { $0 + $1.count }
        let garbageTotal = Int(Double(total) * fraction / (1 - fraction))
        var out: [UInt8] = []
        var left = garbageTotal
        for (i, f) in frames.enumerated() {
            let share = i == frames.count - 1 ? left : min(left, rng.below(2 * max(1, garbageTotal / max(1, frames.count)) + 1))
            for _ in 0..<share {
                var b = rng.byte()
                while avoiding.contains(b) { b = rng.byte() }
                out.append(b)
            }
            left -= share
            out += f
        }
        return out
    }
}

extension DecoderVerifier: Sendable where Decoder: Sendable {}

/// A small deterministic PRNG (SplitMix64) for reproducible property tests.
public struct SeededRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0 ..< n (n ≥ 1).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

    /// A random byte.
    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
