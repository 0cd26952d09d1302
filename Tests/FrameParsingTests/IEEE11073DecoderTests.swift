import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// APDU framing: whole APDUs, resynchronisation, bounds, split invariance.
@Suite struct IEEE11073DecoderTests {
    typealias V = IEEE11073Vectors
    static var verifier: DecoderVerifier<IEEE11073APDUDecoder> { DecoderVerifier(IEEE11073APDUDecoder()) }

    @Test func publishedAPDUsFrameWhole() {
        let apdus = [V.bpAARQ, V.bpMPFixedReport, V.rlrq, V.abrt]
        let frames = Self.verifier.frames(apdus.flatMap { $0 })
        #expect(frames.map(\.bytes) == apdus)
        #expect(frames.map(\.type) == [.aarq, .prst, .rlrq, .abrt])
        #expect(V.bpAARQ.count == 4 + 0x32 && V.bpMPFixedReport.count == 4 + 0x52)
    }

    @Test func garbageAndFalseStartsAreSkippedWithoutLosingAPDUs() {
        // A false PRST start claiming 0x0FFF bytes, a choice with a non-zero low byte, an RLRQ
        // with a wrong length, and noise: none may hold back the APDUs behind them.
        var noisy: [UInt8] = [0x00, 0x11, 0xE7, 0x00, 0x0F, 0xFF, 0x00, 0x10, 0x00, 0x01, 0x01, 0x01, 0x00, 0x08]
        noisy += [0xE2, 0x01] + V.bpAARQ
        noisy += [0xE4, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00] + V.glucoseSession.flatMap { $0 }
        let (frames, counters) = Self.verifier.frames([noisy])
        #expect(frames.map(\.bytes) == [V.bpAARQ] + V.glucoseSession)
        #expect(counters.malformed >= 3)
        #expect(counters.garbageBytes >= 2)
    }

    @Test func anySplitGivesTheSameAPDUs() {
        var stream: [UInt8] = [0x42, 0xE7]
        stream += V.bpSession.joined()
        stream += [0xE6, 0x00, 0x00]
        stream += V.glucoseSession.joined()
        stream += V.bpMPFixedReport
        #expect(Self.verifier.splitFailures(stream, randomSplits: 120, maxChunk: 17).isEmpty)
    }

    @Test func pendingBytesStayBoundedOnGarbage() {
        #expect(Self.verifier.garbageFailures().isEmpty)
        let small = DecoderVerifier(IEEE11073APDUDecoder(maximumAPDULength: 64))
        #expect(small.garbageFailures(rounds: 1000, seed: 3).isEmpty)
        // An APDU longer than the bound is refused, the next one is found.
        #expect(small.frames(V.bpMPFixedReport + V.rlrq).map(\.bytes) == [V.rlrq])
    }

    @Test func tenPercentGarbageLosesNoIntactAPDU() {
        let session = V.bpSession + V.glucoseSession
        for seed: UInt64 in 1...20 {
            let capture = DecoderVerifier<IEEE11073APDUDecoder>.withGarbage(session, fraction: 0.10, seed: seed)
            #expect(Self.verifier.frames(capture).map(\.bytes) == session, "seed \(seed)")
        }
    }

    @Test func fastPathFindsTheSameAPDUs() {
        let bytes = V.bpSession.flatMap { $0 } + V.glucoseSession.flatMap { $0 }
        var stream = FrameStream(IEEE11073APDUDecoder())
        var batch: [IEEE11073APDU] = []
        bytes.withUnsafeBytes { stream.forEachFrame(in: $0) { batch.append($0) } }
        #expect(batch == Self.verifier.frames(bytes))
        #expect(batch.count == V.bpSession.count + V.glucoseSession.count)
    }
}
