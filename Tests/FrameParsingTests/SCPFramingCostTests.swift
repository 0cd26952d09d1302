import Testing
import FrameParsing
import TestSupport

/// SCP-ECG framing costs work linear in the bytes fed, whatever the bytes and however they
/// arrive. The work is the decoder's own count of the bytes it looked at
/// (`SCPScanState.examined`: bytes searched for the marker, run through a CRC or read in a
/// header), not a clock. Every hostile shape is decoded at `n` and `4n` bytes in 1-byte,
/// 7-byte and 4 KiB reads through `append` + `next()` and in 4 KiB reads through
/// `forEachFrame`; four times the bytes may cost at most 4.5 times the work, and no shape
/// more than `perByte` looks a byte. Before the scan state, a stream of record headers
/// each claiming 1 MiB cost a scan of everything pending on every read, and nested records
/// with good CRCs a CRC pass over every inner record for each outer one.
@Suite struct SCPFramingCostTests {
    static let n = 16 << 10
    static let perByte = 8
    static let chunkings: [(size: Int, batch: Bool)] = [(1, false), (7, false), (4096, false), (4096, true)]

    /// A 22-byte record header claiming `length` bytes: record CRC `crc`, section 0 (CRC 0,
    /// id 0, length 16, versions 0x20) with `SCPECG` in its reserved bytes.
    static func header(claiming length: Int, crc: UInt16 = 0x1234) -> [UInt8] {
        [UInt8(crc & 0xFF), UInt8(crc >> 8)] + le32(length) + [0, 0, 0, 0] + le32(16) + [0x20, 0x20] + Array("SCPECG".utf8)
    }

    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// CRC-16/CCITT-FALSE of each byte value, bit by bit from the generator 0x1021.
    static let crcTable: [UInt16] = (0..<256).map { i in
        var crc = UInt16(i) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }

    /// The record CRC (CRC-16/CCITT-FALSE over bytes 2 … end) written into `b` at `at`.
    static func seal(_ b: inout [UInt8], at: Int, length: Int) {
        var crc: UInt16 = 0xFFFF
        for byte in b[(at + 2)..<(at + length)] { crc = (crc << 8) ^ crcTable[Int(UInt8(crc >> 8) ^ byte)] }
        b[at] = UInt8(crc & 0xFF)
        b[at + 1] = UInt8(crc >> 8)
    }

    /// The hostile shapes, each `size` bytes long.
    static func shapes(_ size: Int) -> [(name: String, bytes: [UInt8])] {
        func repeated(_ unit: [UInt8]) -> [UInt8] { Array([[UInt8]](repeating: unit, count: size / unit.count + 1).joined().prefix(size)) }
        // Every header claims the largest record: never complete below 1 MiB.
        let maximal = repeated(header(claiming: SCPRecord.maximumLength))
        // Every 64 bytes a header whose claim reaches the end of the input.
        var toTheEnd = [UInt8](repeating: 0x55, count: size)
        for at in stride(from: 0, to: size - 64, by: 64) { toTheEnd.replaceSubrange(at..<(at + 22), with: header(claiming: size - at)) }
        // Every 64 bytes a header claiming up to and past the next one's marker.
        let pastTheNext = repeated(header(claiming: 64 + 22) + [UInt8](repeating: 0xAA, count: 42))
        // Records with good CRCs nested in each other, each ending 40 bytes before its outer one.
        var nested = header(claiming: 22)
        seal(&nested, at: 0, length: 22)
        while nested.count + 62 <= size {
            nested = header(claiming: nested.count + 62) + nested + [UInt8](repeating: 0x00, count: 40)
            seal(&nested, at: 0, length: nested.count)
        }
        nested += [UInt8](repeating: 0x00, count: size - nested.count)
        return [("maximal claim", maximal), ("claims to the end", toTheEnd), ("claims past the next header", pastTheNext),
                ("nested records with good CRCs", nested), ("random bytes with headers", sprinkled(size))]
    }

    /// Random bytes with a header every 20 to 80 bytes claiming 22 … 3,000 bytes, one in
    /// three with its CRC sealed over the bytes it claims.
    static func sprinkled(_ size: Int) -> [UInt8] {
        var rng = SeededRandom(seed: 0x5C9E)
        var b = (0..<size).map { _ in rng.byte() }
        var sealed: [(at: Int, length: Int)] = []
        var at = rng.below(40)
        while at + 22 <= size {
            let length = 22 + rng.below(2979)
            b.replaceSubrange(at..<(at + 22), with: header(claiming: length))
            if rng.below(3) == 0, at + length <= size { sealed.append((at, length)) }
            at += 20 + rng.below(61)
        }
        // The last first, so a sealed record's CRC covers the final bytes of those inside it.
        for s in sealed.reversed() { seal(&b, at: s.at, length: s.length) }
        return b
    }

    struct Outcome {
        var examined = 0
        var frames: [[UInt8]] = []
        var counters = DecodeCounters()
    }

    /// `bytes` through a stream in reads of `chunk` bytes (`forEachFrame` when `batch`).
    static func decode(_ bytes: [UInt8], chunk: Int, batch: Bool) -> Outcome {
        let run = ChunkedDecode(SCPFrameDecoder(), bytes, chunk: chunk, batch: batch)
        return Outcome(examined: run.scanState.examined, frames: run.frames.map(\.bytes), counters: run.counters)
    }

    @Test func hostileRecordHeadersCostLinearWorkInAnyChunking() {
        let small = Self.shapes(Self.n), large = Self.shapes(4 * Self.n)
        for (s, l) in zip(small, large) {
            for c in Self.chunkings {
                let w1 = Self.decode(s.bytes, chunk: c.size, batch: c.batch).examined
                let w4 = Self.decode(l.bytes, chunk: c.size, batch: c.batch).examined
                let how = "\(s.name) in \(c.size)-byte reads\(c.batch ? " (forEachFrame)" : "")"
                #expect(w4 * 2 <= w1 * 9, "\(how): \(w4) looks for \(l.bytes.count) bytes after \(w1) for \(s.bytes.count)")
                #expect(w4 <= Self.perByte * l.bytes.count, "\(how): \(w4) looks for \(l.bytes.count) bytes")
            }
        }
    }

    /// The scan state is only a cache: the stream gives the same frames and counters in any
    /// reads as the decoder asked afresh at every position (the stream's rules applied by hand).
    @Test func scanStateChangesNoAnswer() {
        for shape in Self.shapes(Self.n / 4) {
            let fresh = Self.decodeAfresh(shape.bytes)
            for c in Self.chunkings {
                let streamed = Self.decode(shape.bytes, chunk: c.size, batch: c.batch)
                #expect(streamed.frames == fresh.frames && streamed.counters == fresh.counters,
                        "\(shape.name) in \(c.size)-byte reads: \(streamed.frames.count) frames, \(fresh.frames.count) afresh")
            }
        }
    }

    /// The innermost of the nested records is delivered, every outer one (which runs past it)
    /// is malformed, and a record that merely contains `SCPECG` in its content still arrives.
    @Test func nestedRecordsYieldTheInnermostAndTextInsideARecordIsContent() {
        let nested = Self.shapes(2048).first { $0.name.hasPrefix("nested") }!.bytes
        let out = Self.decode(nested, chunk: 1, batch: false)
        #expect(out.frames.count == 1 && out.frames.first?.count == 22)
        var outer = 0
        while 22 + 62 * (outer + 1) <= 2048 { outer += 1 }
        #expect(out.counters.malformed == outer && out.counters.badChecksums == 0)
        var record = Self.header(claiming: 200) + [UInt8](repeating: 0x41, count: 178)
        record.replaceSubrange(100..<106, with: Array("SCPECG".utf8))
        Self.seal(&record, at: 0, length: 200)
        for c in Self.chunkings { #expect(Self.decode(record + record, chunk: c.size, batch: c.batch).frames == [record, record]) }
    }

    /// Every position answered by a decoder with no scan state, as `FrameStream` would take
    /// the answers with all of `bytes` pending.
    static func decodeAfresh(_ bytes: [UInt8]) -> Outcome {
        let decoder = SCPFrameDecoder()
        var out = Outcome()
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                switch decoder.decode(UnsafeRawBufferPointer(rebasing: raw[offset...])) {
                case let .frame(frame, consumed):
                    out.frames.append(frame.bytes)
                    out.counters.frames += 1
                    offset += consumed
                case let .skip(count, issue):
                    switch issue {
                    case .garbage: out.counters.garbageBytes += count
                    case .badChecksum: out.counters.badChecksums += 1
                    case .malformed: out.counters.malformed += 1
                    case .oversized: out.counters.oversized += 1
                    }
                    offset += count
                case .needMore:
                    guard raw.count - offset > decoder.maximumFrameLength else { return }
                    out.counters.oversized += 1
                    offset += 1
                }
            }
        }
        return out
    }
}
