import Testing
import FrameParsing
import TestSupport

/// Inputs the fuzz targets found (`Fuzz/corpus/<Target>/regression-*`, control bytes removed):
/// the same stream gave different counters, or different frames, depending on how it was
/// split, because a skip was decided differently with fewer bytes in view.
@Suite struct SplitConsistencyRegressionTests {
    /// Whole, byte by byte, in chunks of 8 and cut at every point: the same frames and counters.
    static func failures<D: FrameDecoder>(_ decoder: D, _ stream: [UInt8]) -> [String] where D.Frame: Equatable {
        let verifier = DecoderVerifier(decoder)
        let whole = verifier.frames([stream])
        var ways: [(String, [[UInt8]])] = [("byte by byte", stream.map { [$0] }),
                                           ("chunks of 8", stride(from: 0, to: stream.count, by: 8).map { Array(stream[$0..<min(stream.count, $0 + 8)]) })]
        for cut in 0...stream.count { ways.append(("cut at \(cut)", [Array(stream[..<cut]), Array(stream[cut...])])) }
        return ways.compactMap { name, chunks in
            let split = verifier.frames(chunks)
            return split.frames == whole.frames && split.counters == whole.counters ? nil
                : "\(name): \(split.counters) instead of \(whole.counters)"
        }
    }

    /// A false STX whose length reaches past a later good frame: a malformed skip whether or
    /// not the false frame's CRC bytes had arrived (was a bad checksum with all of it in view).
    @Test func lifeScanFalseStartBeforeAGoodFrame() {
        let stream = Hex.parse("""
            02 06 08 03 C2 62 02 06 06 03 CD 41 02 09 03 05 0D 02 19 00 57 02 06 08 03 C2 62 02 06 06 03 CD 41 02 09 03 05 0D
            02 03 08 BF 02 09 00 03 27 00 03 26 71 02 09 00 03 20 02 03 D4 92 02 0C 00 03 35 02 00 00 00 03 ED 06 03 08 BF
            02 09 00 03 27 00 03 26 71 02 09 00 03 20 02 03 D4 92 02 0C 00 03 35 02 00 00 00 03 ED 06
            """)!
        #expect(Self.failures(LifeScanFrameDecoder(), stream).isEmpty)
    }

    /// A good-CRC frame that holds a complete frame inside it is dropped however it arrives.
    @Test func lifeScanFrameHoldingAFrame() {
        let inner = LifeScanFrame(link: [], message: [0x05, 0x06, 0x01])!.bytes
        let outer = LifeScanFrame(link: [], message: [0x05] + inner + [0x00])!.bytes
        let verifier = DecoderVerifier(LifeScanFrameDecoder())
        #expect(verifier.frames(outer).map(\.bytes) == [inner])
        #expect(Self.failures(LifeScanFrameDecoder(), outer).isEmpty)
    }

    /// The CodeFree form of the LifeScan case: a false 0x53 with a long length.
    @Test func codeFreeFalseStartBeforeAGoodFrame() {
        let stream = Hex.parse("""
            53 20 04 10 30 20 AA 53 20 18 30 00 02 AA AA AA AA AA AA AA AA AA AA AA AA AA 56 4B AA AA AA AA 98 AA 53 20 13 13 00
            18 06 0F 08 1E 00 78 10 01 00 03 04 05 06 07 7C AA 53 20 13 2A 00 57 53 20 04 10 30 20 AA 53 20 18 30 00 02 AA AA
            AA AA AA AA AA AA AA AA AA AA AA 13 00 13 AA AA AA
            """)!
        #expect(Self.failures(CodeFreeFrameDecoder(), stream).isEmpty)
    }

    /// Garbage right before CR LF: the skip stops before the separators, which fold into the
    /// next line whether or not they had arrived (garbage counted 3 whole, 2 when split).
    @Test func ultra2GarbageBeforeLineEnding() {
        let stream = Array("zzP 003,\"GMF600DCY\",\"MG/DL \" 05A6\r\nP \"SAT\",\"03/21/15\",\"96:45:24   \",\"  081 \",\"N\",\"03\", 00 09B6\r\n".utf8)
            + Array("PqP \"SAT\",\"03/21/15\",\"16:42:11   \",\"  105 \",\"B\",\"02\", 00 099F\r\n".utf8)
        #expect(Self.failures(Ultra2LineDecoder(), stream).isEmpty)
    }

    /// A run of more than 16 separators: only the surplus is garbage, however the run arrived.
    @Test func ultra2LongSeparatorRun() {
        let stream = Array("T 0054\r".utf8) + [UInt8](repeating: 0x0D, count: 23) + [0x0A] + Ultra2Line.encode("?P2.04.00")
        let lines = DecoderVerifier(Ultra2LineDecoder()).frames([stream])
        #expect(lines.frames.count == 2 && lines.counters.garbageBytes == 8)
        #expect(Self.failures(Ultra2LineDecoder(), stream).isEmpty)
    }

    /// An end byte one past where the longest payload could put it, then a stray byte: an
    /// oversized block however it arrives (was malformed whole, oversized byte by byte).
    @Test func mllpEndBytePastTheBound() {
        let stream: [UInt8] = [0x0B] + [UInt8](repeating: 0x41, count: 66) + [0x1C, 0x0A] + MLLPBlock.wrap([0x42])
        #expect(Self.failures(MLLPFrameDecoder(maximumMessageLength: 64), stream).isEmpty)
    }
}
