import Testing
import FrameParsing

/// The areo block decoder's work is linear whatever the bytes: counted byte looks (no clock)
/// for doubled hostile inputs.
@Suite struct GlucoMenAreoLinearityTests {
    static let decoder = GlucoMenAreoBlockDecoder()
    static let max = GlucoMenAreoBlockDecoder.maximumBlockLength

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Risk: an unterminated block of short lines (no `]`) rescanned per byte: quadratic.
    @Test func unterminatedBlocksOfShortLinesAreLinear() {
        DecoderLinearityTests.expectLinear(unit: Self.bytes("[\r\n") + Self.bytes("ab\r\n"),
                                           count: 1 << 13, maximumFrameLength: Self.max, perByte: 8) { Self.decoder.decode($0, examined: &$1) }
        let one = Self.bytes("[\r\n") + Array([[UInt8]](repeating: Self.bytes("Glu,1\r\n"), count: 1 << 13).joined())
        DecoderLinearityTests.expectLinear(unit: one, count: 4, maximumFrameLength: Self.max, perByte: 8) { Self.decoder.decode($0, examined: &$1) }
    }

    /// Risk: runs of `[`, of `[` CR LF lines, of closed blocks with bad checksums, and of long
    /// lines each costing a scan of a maximum block.
    @Test func startBytesBadBlocksAndLongLinesAreLinear() {
        for unit in [Self.bytes("["), Self.bytes("[\r\n"), Self.bytes("[\r\nx\r\n00\r\n]\r\n"), Self.bytes("[\r\n]\r\n"),
                     Self.bytes("[\r\n") + [UInt8](repeating: 0x41, count: 200), [0x0D, 0x0A, 0x5D]] {
            DecoderLinearityTests.expectLinear(unit: unit, count: 1 << 12, maximumFrameLength: Self.max, perByte: 8) {
                Self.decoder.decode($0, examined: &$1)
            }
        }
    }

    /// Risk (found by the fuzz target): a block whose lines end with `[` (a new block start
    /// after garbage on the same line) scanned to the maximum block length from every start:
    /// 256 KiB of it took 1.4 s against 0 ms for 64 KiB.
    @Test func blocksRestartingAtTheEndOfALineAreLinear() {
        let unit = Self.bytes("[\r\nAREO,01,001  GM1") + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1C] + Self.bytes(",mmol234134 ,V1143/L,,")
        DecoderLinearityTests.expectLinear(unit: unit, count: 1 << 12, maximumFrameLength: Self.max, perByte: 8) {
            Self.decoder.decode($0, examined: &$1)
        }
    }
}
