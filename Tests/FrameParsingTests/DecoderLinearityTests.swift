import Testing
import FrameParsing

/// The decoders' cost is linear in their input whatever the bytes: the bytes their scans look
/// at (a deterministic count each decoder reports) grow in proportion to the input, checked by
/// doubling adversarial inputs (long runs of line starts, start bytes, unterminated blocks).
@Suite struct DecoderLinearityTests {
    /// Byte looks for decoding all of `bytes` the way a whole capture is replayed: one buffer,
    /// decoded from where the last answer ended, one byte dropped when more than a maximum frame
    /// is pending and the decoder still needs more.
    static func examined<Frame>(_ bytes: [UInt8], maximumFrameLength: Int,
                                _ decode: (UnsafeRawBufferPointer, inout Int) -> DecodeStep<Frame>) -> Int {
        var examined = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                switch decode(UnsafeRawBufferPointer(rebasing: raw[offset...]), &examined) {
                case let .frame(_, consumed): offset += consumed
                case let .skip(count, _): offset += max(1, count)
                case .needMore:
                    guard raw.count - offset > maximumFrameLength else { return }
                    offset += 1
                }
            }
        }
        return examined
    }

    /// Asserts that doubling `unit × count` at most doubles the work (with slack for the ends),
    /// and that each byte is looked at a bounded number of times.
    static func expectLinear<Frame>(unit: [UInt8], count: Int, maximumFrameLength: Int, perByte: Int,
                                    _ decode: (UnsafeRawBufferPointer, inout Int) -> DecodeStep<Frame>) {
        let small = Array([[UInt8]](repeating: unit, count: count).joined())
        let large = small + small
        let w1 = examined(small, maximumFrameLength: maximumFrameLength, decode)
        let w2 = examined(large, maximumFrameLength: maximumFrameLength, decode)
        #expect(w1 <= perByte * small.count, "\(w1) byte looks for \(small.count) bytes")
        // The ends of the inputs (a last partial frame) add at most a maximum frame's looks per byte.
        #expect(w2 <= 2 * w1 + perByte * maximumFrameLength, "\(w2) byte looks for twice the bytes after \(w1)")
    }

    @Test func F1_ultra2DecoderIsLinearOnSpaces() {
        let decoder = Ultra2LineDecoder()
        Self.expectLinear(unit: Array("P ".utf8), count: 1 << 14, maximumFrameLength: decoder.maximumFrameLength, perByte: 64) {
            decoder.decode($0, examined: &$1)
        }
    }

    @Test func ultra2DecoderIsLinearOnLongLinesAndSeparators() {
        let decoder = Ultra2LineDecoder()
        let max = decoder.maximumFrameLength
        Self.expectLinear(unit: [UInt8](repeating: UInt8(ascii: "P"), count: 200) + [0x0D], count: 256,
                          maximumFrameLength: max, perByte: 128) { decoder.decode($0, examined: &$1) }
        Self.expectLinear(unit: [0x0D, 0x0A], count: 1 << 14, maximumFrameLength: max, perByte: 4) { decoder.decode($0, examined: &$1) }
        Self.expectLinear(unit: Array("P 0000".utf8) + [0x0D], count: 1 << 12, maximumFrameLength: max, perByte: 64) {
            decoder.decode($0, examined: &$1)
        }
    }

    @Test func F2_mllpDecoderIsLinearOnUnterminatedBlockStarts() {
        let decoder = MLLPFrameDecoder()
        Self.expectLinear(unit: [MLLPBlock.start], count: 1 << 16, maximumFrameLength: decoder.maximumFrameLength, perByte: 4) {
            decoder.decode($0, examined: &$1)
        }
    }

    @Test func mllpDecoderIsLinearOnEndBytesAndAbandonedBlocks() {
        let decoder = MLLPFrameDecoder(maximumMessageLength: 4096)
        let max = decoder.maximumFrameLength
        Self.expectLinear(unit: [MLLPBlock.start, 0x41, MLLPBlock.end, 0x41], count: 1 << 14, maximumFrameLength: max, perByte: 4) {
            decoder.decode($0, examined: &$1)
        }
        Self.expectLinear(unit: [MLLPBlock.start] + [UInt8](repeating: 0x41, count: 5000), count: 64, maximumFrameLength: max,
                          perByte: 4) { decoder.decode($0, examined: &$1) }
        Self.expectLinear(unit: MLLPBlock.wrap([0x41, 0x0D]) + [0x1C], count: 1 << 14, maximumFrameLength: max, perByte: 4) {
            decoder.decode($0, examined: &$1)
        }
    }
}
