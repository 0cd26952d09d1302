import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// SD CodeFree frames. V = seen in a public source (XOR recomputed), C = constructed.
@Suite struct CodeFreeTests {
    static func frame(_ hex: String) -> [UInt8] { Hex.parse(hex)! }

    /// C: a record message as glucometerutils lays it out (two bytes before the year), 2024-06-15
    /// 08:30, 120 mg/dL, before meal, then seven bytes whose meaning is not public.
    static let record0: [UInt8] = [0x13, 0x00, 24, 6, 15, 8, 30, 0x00, 120, 0x10, 1, 2, 3, 4, 5, 6, 7]
    static let record1: [UInt8] = [0x13, 0x00, 19, 8, 4, 13, 37, 0x00, 85, 0x20, 1, 2, 3, 4, 5, 6, 7]

    static let session: [[UInt8]] = [
        frame("53 20 04 10 30 20 AA"),                                                    // V: challenge
        CodeFreeFrame(direction: .meterToHost, message: [0x30, 0x00, 0x02] + [UInt8](repeating: 0xAA, count: 19))!.bytes,
        CodeFreeFrame(direction: .meterToHost, message: record0)!.bytes,
        CodeFreeFrame(direction: .meterToHost, message: record1)!.bytes,
        CodeFreeFrame(direction: .meterToHost, message: [0x10, 0x70])!.bytes,
    ]

    static var verifier: DecoderVerifier<CodeFreeFrameDecoder> { DecoderVerifier(CodeFreeFrameDecoder()) }

    @Test func vectors() {
        #expect(CodeFreeCommand.answerChallenge.bytes == Self.frame("53 10 04 10 40 50 AA"))       // C
        #expect(CodeFreeCommand.fetchOrDisconnect.bytes == Self.frame("53 10 04 10 60 70 AA"))     // C
        #expect(Self.session[1].count == 3 + 0x18)                                                 // GP: length 0x18
        let challenge = Self.verifier.frames(Self.session[0])
        #expect(challenge.count == 1 && CodeFreeMessage(challenge[0].message) == .challenge)
        let hostDecoder = DecoderVerifier(CodeFreeFrameDecoder(direction: .hostToMeter))
        #expect(hostDecoder.frames(Self.frame("53 10 04 10 40 50 AA")).count == 1)
        #expect(Self.verifier.frames(Self.frame("53 10 04 10 40 50 AA")).isEmpty)                  // wrong direction
    }

    @Test func sessionBecomesReadings() {
        let result = CodeFreeDump.decodeCapture(Self.session.flatMap { $0 }, profileID: "p")
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.deviceSerial == nil)
        #expect(result.readings.map(\.deviceSerial) == ["unknown", "unknown"])
        #expect(result.readings.map(\.value) == [ExactDecimal(120), ExactDecimal(85)])
        #expect(result.readings.map(\.flags) == [[.beforeMeal], [.afterMeal]])
        #expect(result.readings.map(\.deviceTime.description) == ["2024-06-15T08:30:00", "2019-08-04T13:37:00"])
        #expect(result.readings.first?.recordKey == "2024-06-15T08:30|120|10|0")
    }

    @Test func fieldsAreCountedFromTheEndOfTheMessage() {
        // One unknown leading byte instead of two: the same fields decode.
        let shorter = CodeFreeMessage(InlineBytes(Array(Self.record0.dropFirst()))!)
        #expect(shorter == CodeFreeMessage(InlineBytes(Self.record0)!))
        #expect(CodeFreeMessage(InlineBytes([0x13, 24, 6])!) == .other)
    }

    @Test func unknownMealIsAProblem() {
        var m = Self.record0
        m[9] = 0x30
        let result = CodeFreeDump.decodeCapture(CodeFreeFrame(direction: .meterToHost, message: m)!.bytes, profileID: "p")
        #expect(result.readings.isEmpty && result.problems.count == 1)
    }

    @Test func setDateAndEverythingElseCanNeverBeTransmitted() {
        #expect(!CodeFreeCommand.mayTransmit(CodeFreeFrame(direction: .hostToMeter, message: Array("ADATE202406150830".utf8))!.bytes))
        for a in UInt8.min...UInt8.max {
            let bytes = CodeFreeFrame(direction: .hostToMeter, message: [0x10, a])!.bytes
            #expect(CodeFreeCommand.mayTransmit(bytes) == (a == 0x40 || a == 0x60))
        }
        #expect(!CodeFreeCommand.mayTransmit(CodeFreeFrame(direction: .meterToHost, message: [0x10, 0x60])!.bytes))
    }

    @Test func resynchronisesAndAnySplitGivesTheSameFrames() {
        var noisy: [UInt8] = [0x00, 0x53, 0x20, 0xFF]                   // a false start with a huge length
        noisy += Self.session[0]
        var bad = Self.session[2]; bad[bad.count - 2] ^= 0x01           // bad XOR
        noisy += bad + Self.frame("53 10 04 10 60 70 AA") + Self.session[1...].flatMap { $0 }
        let (frames, counters) = Self.verifier.frames([noisy])
        #expect(frames.map(\.bytes) == Self.session)
        #expect(counters.badChecksums == 1)
        #expect(Self.verifier.splitFailures(noisy, randomSplits: 150).isEmpty)
        #expect(Self.verifier.garbageFailures().isEmpty)
    }

    @Test func tenPercentGarbageLosesNoIntactFrame() {
        for seed: UInt64 in 1...20 {
            let capture = DecoderVerifier<CodeFreeFrameDecoder>.withGarbage(Self.session, fraction: 0.10, seed: seed)
            #expect(Self.verifier.frames(capture).map(\.bytes) == Self.session, "seed \(seed)")
        }
    }
}
