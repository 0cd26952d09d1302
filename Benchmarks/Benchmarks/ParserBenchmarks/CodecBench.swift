import FrameParsing

/// One codec under benchmark: its name, how to generate a valid capture, and its decoder
/// run through both ways of feeding a `FrameStream`, specialised for that decoder.
struct CodecBench {
    /// Checksummed binary frames or text lines: they have different throughput targets.
    enum Kind: String {
        case binary, text

        /// The target throughput per core, MB/s.
        var targetMBps: Int { self == .binary ? 1000 : 500 }
    }

    let name: String
    let kind: Kind
    /// Appends one valid frame, as the device sends it, to a capture.
    let appendFrame: (inout SplitMix, inout [UInt8]) -> Void
    /// Decodes bytes through `forEachFrame(in:)`, the given number of bytes per call.
    let batch: (UnsafeRawBufferPointer, Int) -> Tally
    /// Decodes bytes through `append` then `next()` until nil, the given number of bytes per call.
    let appendNext: (UnsafeRawBufferPointer, Int) -> Tally

    /// An entry for `decoder`; the decode loops are specialised for `D` here.
    static func codec<D: FrameDecoder>(_ name: String, kind: Kind, decoder: D,
                                       frame: @escaping (inout SplitMix, inout [UInt8]) -> Void) -> CodecBench {
        CodecBench(name: name, kind: kind, appendFrame: frame,
                   batch: { decodeBatch(decoder, $0, chunk: $1) },
                   appendNext: { decodeAppendNext(decoder, $0, chunk: $1) })
    }

    /// A capture of valid frames of at least `bytes` bytes, the same for the same seed. With
    /// `noisePercent` > 0, that share of frames is preceded by one to three 0x00 bytes of line
    /// noise (0x00 starts no frame of any codec here), which the decoder must skip.
    func capture(atLeast bytes: Int, noisePercent: UInt64 = 0, seed: UInt64 = 0x5EED) -> Capture {
        var rng = SplitMix(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 4096)
        var frames = 0
        var noise = 0
        while out.count < bytes {
            if noisePercent > 0, rng.next() % 100 < noisePercent {
                let n = Int(1 + rng.next() % 3)
                out += repeatElement(0, count: n)
                noise += n
            }
            appendFrame(&rng, &out)
            frames += 1
        }
        return Capture(bytes: out, frames: frames, noiseBytes: noise)
    }
}

/// What one decoding pass saw: frames, skipped input, and a digest of every frame so the
/// optimiser cannot drop the work.
struct Tally {
    var frames = 0
    var skipped = 0
    var digest: UInt64 = 0
}

/// `forEachFrame(in:)` over `bytes`, `chunk` bytes per call (as a read loop would do).
func decodeBatch<D: FrameDecoder>(_ decoder: D, _ bytes: UnsafeRawBufferPointer, chunk: Int) -> Tally {
    var stream = FrameStream(decoder)
    var tally = Tally()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        stream.forEachFrame(in: UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) { tally.digest &+= digest($0) }
        offset = end
    }
    tally.frames = stream.counters.frames
    tally.skipped = stream.counters.garbageBytes + stream.counters.rejectedFrames
    return tally
}

/// `append` then `next()` until nil over `bytes`, `chunk` bytes per call.
func decodeAppendNext<D: FrameDecoder>(_ decoder: D, _ bytes: UnsafeRawBufferPointer, chunk: Int) -> Tally {
    var stream = FrameStream(decoder)
    var tally = Tally()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        stream.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
        while let frame = stream.next() { tally.digest &+= digest(frame) }
        offset = end
    }
    tally.frames = stream.counters.frames
    tally.skipped = stream.counters.garbageBytes + stream.counters.rejectedFrames
    return tally
}

/// The first (up to) 8 bytes of a frame value's memory: touches every frame without
/// needing anything from the frame type.
@inline(__always)
func digest<F>(_ frame: F) -> UInt64 {
    withUnsafeBytes(of: frame) { raw in
        var word: UInt64 = 0
        for i in 0..<min(raw.count, 8) { word |= UInt64(raw[i]) << (8 * UInt64(i)) }
        return word
    }
}
