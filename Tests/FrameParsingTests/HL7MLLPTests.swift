import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// MLLP framing (C: blocks built from the documented VT … FS CR layout).
@Suite struct HL7MLLPTests {
    static var verifier: DecoderVerifier<MLLPFrameDecoder> { DecoderVerifier(MLLPFrameDecoder(maximumMessageLength: 4096)) }
    static let second = HL7Fixtures.message([HL7Fixtures.msh("HK0000002"), "PID|||440305197508220031",
                                             "OBR|1|||X^Y^L|||20240615091000", "OBX|1|NM|8867-4^HR^LN||64|/min|||||F"])

    @Test func blockIsPayloadBetweenVTAndFSCR() {
        let frames = Self.verifier.frames(MLLPBlock.wrap(HL7Fixtures.kiosk))
        #expect(frames == [MLLPBlock(payload: HL7Fixtures.kiosk)])
        #expect(MLLPBlock.wrap([0x41]) == [0x0B, 0x41, 0x1C, 0x0D])
        #expect(MLLPBlock(payload: [0x06]).isCommitAcknowledgement)
    }

    @Test func garbageBeforeStartIsSkippedInOneScan() {
        let noise: [UInt8] = [0x00, 0xFF, 0x41, 0x0D, 0x0A, 0x1C, 0x0D]
        let (frames, counters) = Self.verifier.frames([noise + MLLPBlock.wrap(HL7Fixtures.kiosk)])
        #expect(frames.count == 1)
        #expect(counters.garbageBytes == noise.count)
        // One skip answer covers every byte up to the start byte.
        let step = noise.withUnsafeBytes { MLLPFrameDecoder().decode($0) }
        guard case let .skip(count, issue) = step else { Issue.record("expected a skip"); return }
        #expect(count == noise.count && issue == .garbage)
    }

    @Test func abandonedBlockIsDroppedAndTheNextOneKept() {
        let cut = Array(MLLPBlock.wrap(HL7Fixtures.kiosk).prefix(40))
        let (frames, counters) = Self.verifier.frames([cut + MLLPBlock.wrap(Self.second)])
        #expect(frames == [MLLPBlock(payload: Self.second)])
        #expect(counters.rejectedFrames == 1)
    }

    @Test func endByteWithoutCRIsMalformed() {
        let bad: [UInt8] = [0x0B, 0x41, 0x42, 0x1C, 0x0A]
        let (frames, counters) = Self.verifier.frames([bad + MLLPBlock.wrap(Self.second)])
        #expect(frames.count == 1)
        #expect(counters.rejectedFrames == 1)
    }

    @Test func oversizedBlockIsBoundedAndTheNextOneKept() {
        let decoder = MLLPFrameDecoder(maximumMessageLength: 64)
        let huge = MLLPBlock.wrap([UInt8](repeating: 0x41, count: 500))
        var stream = FrameStream(decoder)
        var frames: [MLLPBlock] = []
        let all = huge + MLLPBlock.wrap([0x42])
        for start in stride(from: 0, to: all.count, by: 7) {
            let chunk = Array(all[start..<min(all.count, start + 7)])
            stream.append(chunk)
            while let f = stream.next() { frames.append(f) }
            #expect(stream.pendingCount <= decoder.maximumFrameLength)
        }
        #expect(frames == [MLLPBlock(payload: [0x42])])
        #expect(stream.counters.oversized > 0)
    }

    /// Blocks at the length bound, with and without the CR after the end byte: the same
    /// answer whether the stream arrives whole or byte by byte. A payload one byte too long
    /// followed by a stray byte once counted as malformed whole and oversized byte by byte.
    /// Found by fuzzing.
    @Test(arguments: [63, 64, 65, 66], [0x0D, 0x0A] as [UInt8])
    func blocksAtTheLengthBoundDecodeTheSameHoweverSplit(payload: Int, afterEnd: UInt8) {
        let verifier = DecoderVerifier(MLLPFrameDecoder(maximumMessageLength: 64))
        let block: [UInt8] = [0x0B] + [UInt8](repeating: 0x41, count: payload) + [0x1C, afterEnd]
        let stream = block + MLLPBlock.wrap([0x42])
        let whole = verifier.frames([stream])
        let bytewise = verifier.frames(stream.map { [$0] })
        #expect(whole.frames == bytewise.frames && whole.counters == bytewise.counters)
        #expect(whole.frames.last == MLLPBlock(payload: [0x42]))
        #expect(whole.frames.count == (payload <= 64 && afterEnd == 0x0D ? 2 : 1))
        #expect(verifier.splitFailures(stream, randomSplits: 40).isEmpty)
    }

    @Test func randomSplitsGiveTheSameBlocks() {
        let blocks = [MLLPBlock.wrap(HL7Fixtures.kiosk), MLLPBlock.wrap(Self.second), MLLPBlock.wrap([0x06]),
                      Array(MLLPBlock.wrap(Self.second).prefix(30)), MLLPBlock.wrap(Self.second)]
        let stream = DecoderVerifier<MLLPFrameDecoder>.withGarbage(blocks, fraction: 0.15)
        #expect(Self.verifier.splitFailures(stream, randomSplits: 60).isEmpty)
        #expect(Self.verifier.frames(stream).count >= 3)
    }

    @Test func garbageKeepsThePendingBufferBounded() {
        #expect(Self.verifier.garbageFailures().isEmpty)
    }

    @Test func fastPathFindsTheSameBlocks() {
        let tail: [UInt8] = [0x00, 0x0B, 0x41]
        let stream: [UInt8] = Array(Array(repeating: MLLPBlock.wrap(Self.second), count: 5).joined()) + tail
        var fast = FrameStream(MLLPFrameDecoder())
        var found: [MLLPBlock] = []
        stream.withUnsafeBytes { fast.forEachFrame(in: $0) { found.append($0) } }
        #expect(found == Self.verifier.frames(stream))
        #expect(found.count == 5)
    }
}

