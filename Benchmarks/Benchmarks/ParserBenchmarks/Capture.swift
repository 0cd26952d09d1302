#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A generated capture held in memory, with what the floor scan needs.
struct Capture {
    let bytes: [UInt8]
    /// Valid frames the generator wrote.
    let frames: Int
    /// Bytes of line noise between them.
    let noiseBytes: Int
    /// A byte value that does not occur in `floorBytes`.
    let absentByte: UInt8
    /// The capture with its least frequent byte value replaced by the next value, so that a
    /// `memchr` for `absentByte` reads all of it in one pass: the floor a parser is compared
    /// to. Same size and (but for that one value) the same bytes as `bytes`.
    let floorBytes: [UInt8]

    init(bytes: [UInt8], frames: Int, noiseBytes: Int = 0) {
        self.bytes = bytes
        self.frames = frames
        self.noiseBytes = noiseBytes
        var histogram = [Int](repeating: 0, count: 256)
        for b in bytes { histogram[Int(b)] += 1 }
        let rarest = UInt8(histogram.indices.min { histogram[$0] < histogram[$1] }!)
        absentByte = rarest
        floorBytes = histogram[Int(rarest)] == 0 ? bytes : bytes.map { $0 == rarest ? rarest &+ 1 : $0 }
    }
}

/// The floor: `memchr` over all of `bytes` for `byte`, restarting after each hit; returns the
/// hits (zero for `Capture.floorBytes` and `absentByte`: one pass at `memchr` speed).
func memchrFloor(_ bytes: UnsafeRawBufferPointer, _ byte: UInt8) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    var hits = 0
    var offset = 0
    while offset < bytes.count, let hit = memchr(base + offset, Int32(byte), bytes.count - offset) {
        hits += 1
        offset = UnsafeRawPointer(hit) - base + 1
    }
    return hits
}

/// A small deterministic PRNG (SplitMix64) for reproducible captures.
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
