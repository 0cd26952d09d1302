import Testing
import FrameParsing
import TestSupport

/// MLLP framing costs work linear in the bytes fed however they arrive. A live HL7 link hands
/// the stream a message in reads of a few KiB; before the scan state, each read searched the
/// whole unfinished block again for its end byte, so a 1 MiB message in 4 KiB reads was
/// searched 256 times over. The work is the decoder's own count of the bytes its scans looked
/// at (`MLLPScanState.examined`), not a clock: four times the bytes may cost at most 4.5 times
/// the work, and no shape more than `perByte` looks a byte.
@Suite struct MLLPFramingCostTests {
    static let perByte = 4
    static let chunkings: [(size: Int, batch: Bool)] = [(1, false), (7, false), (4096, false), (4096, true)]

    struct Outcome {
        var examined = 0
        var frames: [[UInt8]] = []
        var counters = DecodeCounters()
    }

    /// `bytes` through a stream in reads of `chunk` bytes (`forEachFrame` when `batch`).
    static func decode(_ bytes: [UInt8], chunk: Int, batch: Bool, maximum: Int = MLLPFrameDecoder.defaultMaximumMessageLength) -> Outcome {
        let run = ChunkedDecode(MLLPFrameDecoder(maximumMessageLength: maximum), bytes, chunk: chunk, batch: batch)
        return Outcome(examined: run.scanState.examined, frames: run.frames.map(\.payload), counters: run.counters)
    }

    /// Segments of printable text ended by CR, `count` bytes in all.
    static func message(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        let segment = Array("OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F".utf8) + [0x0D]
        while out.count < count { out.append(contentsOf: segment) }
        return Array(out.prefix(count))
    }

    /// Shapes of about `n` bytes: one long message, many short ones, and the hostile ones
    /// (start bytes that never end, blocks abandoned by a new start, end bytes without CR).
    static func shapes(_ n: Int) -> [(name: String, bytes: [UInt8])] {
        var short: [UInt8] = []
        while short.count < n { short += MLLPBlock.wrap(message(3000)) }
        var abandoned: [UInt8] = []
        while abandoned.count < n { abandoned += [MLLPBlock.start] + message(500) }
        var noCR: [UInt8] = []
        while noCR.count < n { noCR += [MLLPBlock.start] + message(300) + [MLLPBlock.end, 0x41] }
        return [
            ("one long message", MLLPBlock.wrap(message(n))),
            ("messages of 3000 bytes", short),
            ("blocks abandoned by a new start byte", abandoned),
            ("end bytes not followed by CR", noCR),
            ("an unterminated block", [MLLPBlock.start] + message(n)),
        ]
    }

    @Test func messagesCostLinearWorkInAnyChunking() {
        let n = 64 << 10
        for (s, l) in zip(Self.shapes(n), Self.shapes(4 * n)) {
            for c in Self.chunkings {
                let w1 = Self.decode(s.bytes, chunk: c.size, batch: c.batch).examined
                let w4 = Self.decode(l.bytes, chunk: c.size, batch: c.batch).examined
                let how = "\(s.name) in \(c.size)-byte reads\(c.batch ? " (forEachFrame)" : "")"
                #expect(w4 * 2 <= w1 * 9, "\(how): \(w4) looks for \(l.bytes.count) bytes after \(w1) for \(s.bytes.count)")
                #expect(w4 <= Self.perByte * l.bytes.count, "\(how): \(w4) looks for \(l.bytes.count) bytes")
            }
        }
    }

    /// The case that was quadratic: a 1 MiB message (the default maximum) in 4 KiB reads.
    @Test func aMaximumMessageInFourKiBReadsIsSearchedOnce() {
        let payload = Self.message(MLLPFrameDecoder.defaultMaximumMessageLength)
        let out = Self.decode(MLLPBlock.wrap(payload), chunk: 4096, batch: false)
        #expect(out.frames == [payload])
        #expect(out.examined <= 2 * payload.count + 8, "\(out.examined) looks for \(payload.count) bytes")
    }

    /// The scan state is only a cache: the same frames and counters in any reads as with all
    /// the bytes pending at once, including blocks that grow past a small maximum.
    @Test func scanStateChangesNoAnswer() {
        for maximum in [MLLPFrameDecoder.defaultMaximumMessageLength, 700] {
            for shape in Self.shapes(16 << 10) {
                let whole = Self.decode(shape.bytes, chunk: shape.bytes.count, batch: false, maximum: maximum)
                for c in Self.chunkings {
                    let streamed = Self.decode(shape.bytes, chunk: c.size, batch: c.batch, maximum: maximum)
                    #expect(streamed.frames == whole.frames && streamed.counters == whole.counters,
                            "\(shape.name), maximum \(maximum), \(c.size)-byte reads: \(streamed.frames.count) frames, \(whole.frames.count) at once")
                }
            }
        }
        let twoMessages = MLLPBlock.wrap(Self.message(3000)) + MLLPBlock.wrap(Self.message(10))
        #expect(Self.decode(twoMessages, chunk: 1, batch: false).frames == [Self.message(3000), Self.message(10)])
    }
}
