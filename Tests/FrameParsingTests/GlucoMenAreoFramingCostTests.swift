import Testing
import FrameParsing
import TestSupport

/// GlucoMen areo framing costs work linear in the bytes fed however they arrive. The session
/// reads 512 bytes at a time; before the scan state, every read checked the unfinished
/// block's lines again from its first, so a 64 KiB memory dump was checked 128 times over
/// (and a byte at a time, 65,536 times). The work is the decoder's own count of the bytes it
/// looked at (`GlucoMenAreoScanState.examined`), not a clock.
@Suite struct GlucoMenAreoFramingCostTests {
    static let chunkings: [(size: Int, batch: Bool)] = [(1, false), (7, false), (512, false), (4096, true)]

    struct Outcome {
        var examined = 0
        var frames: [GlucoMenAreoBlock] = []
        var counters = DecodeCounters()
    }

    static func decode(_ bytes: [UInt8], chunk: Int, batch: Bool) -> Outcome {
        let run = ChunkedDecode(GlucoMenAreoBlockDecoder(), bytes, chunk: chunk, batch: batch)
        return Outcome(examined: run.scanState.examined, frames: run.frames, counters: run.counters)
    }

    /// CRC-8/MAXIM (reflected polynomial 0x8C, initial 0) bit by bit, from its definition.
    static func crc8maxim(_ bytes: [UInt8]) -> UInt8 {
        var crc: UInt8 = 0
        for byte in bytes {
            crc ^= byte
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x8C : crc >> 1 }
        }
        return crc
    }

    /// A reply block of `readings` reading lines with its checksum line.
    static func block(_ readings: Int) -> [UInt8] {
        var body = Array("[\r\n".utf8)
        for i in 0..<readings { body += Array("Glu,\(90 + i % 100),mg/dL,02,240615,\(1000 + i % 1000)\r\n".utf8) }
        let crc = crc8maxim(body)
        let hex = Array("0123456789ABCDEF".utf8)
        return body + [hex[Int(crc >> 4)], hex[Int(crc & 15)], 0x0D, 0x0A] + Array("]\r\n".utf8)
    }

    /// The largest block the decoder accepts, in every chunking: one frame, each byte looked
    /// at a bounded number of times (line ends, then the checksum).
    @Test func aFullMemoryDumpInSmallReadsIsCheckedOnce() {
        var readings = 1
        while Self.block(readings * 2).count <= GlucoMenAreoBlockDecoder.maximumBlockLength { readings *= 2 }
        let bytes = Self.block(readings)
        for c in Self.chunkings {
            let out = Self.decode(bytes, chunk: c.size, batch: c.batch)
            #expect(out.frames.count == 1 && out.frames.first?.lines.count == readings, "\(c.size)-byte reads")
            #expect(out.examined <= 3 * bytes.count, "\(c.size)-byte reads: \(out.examined) looks for \(bytes.count) bytes")
        }
    }

    /// Four times the bytes cost at most 4.5 times the work, for blocks, unterminated blocks
    /// and blocks abandoned by a new `[`.
    @Test func shapesCostLinearWorkInAnyChunking() {
        func shapes(_ lines: Int) -> [(String, [UInt8])] {
            let unterminated = Array(Self.block(lines).dropLast(7))
            var abandoned: [UInt8] = []
            for _ in 0..<(lines / 8) { abandoned += Array(Self.block(8).prefix(80)) }
            return [("blocks", Self.block(lines)), ("an unterminated block", unterminated), ("abandoned blocks", abandoned)]
        }
        for ((name, small), (_, large)) in zip(shapes(256), shapes(1024)) {
            for c in Self.chunkings {
                let w1 = Self.decode(small, chunk: c.size, batch: c.batch).examined
                let w4 = Self.decode(large, chunk: c.size, batch: c.batch).examined
                #expect(w4 * 2 <= w1 * 9, "\(name) in \(c.size)-byte reads: \(w4) looks after \(w1)")
            }
        }
    }

    /// The scan state is only a cache: the same frames and counters in any reads as with all
    /// the bytes pending at once.
    @Test func scanStateChangesNoAnswer() {
        var bytes = Self.block(40) + Array("noise[".utf8) + Self.block(3)
        var damaged = Self.block(30)
        let digit = damaged.indices.first { $0 >= 100 && (0x30...0x38).contains(damaged[$0]) }!
        damaged[digit] += 1
        bytes += damaged + Array(Self.block(20).prefix(300)) + Self.block(5) + Array("[\r\n".utf8) + [UInt8](repeating: 0x41, count: 100)
        bytes += Self.block(2) + Array(Self.block(10).dropLast(7))
        let whole = Self.decode(bytes, chunk: bytes.count, batch: false)
        #expect(whole.frames.count == 4 && whole.counters.badChecksums == 1)
        for c in Self.chunkings {
            let streamed = Self.decode(bytes, chunk: c.size, batch: c.batch)
            #expect(streamed.frames == whole.frames && streamed.counters == whole.counters, "\(c.size)-byte reads")
        }
    }
}
