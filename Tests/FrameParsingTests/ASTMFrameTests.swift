import Testing
import FrameParsing
import TestSupport

/// ASTM E1381 frames and control bytes. V = seen in a public source (python-astm tests, the
/// Tidepool and glucometerutils Contour examples; every checksum recomputed), C = constructed
/// from the documented layout.
@Suite struct ASTMFrameTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// (frame on the wire, frame number, ETX?, text)
    static let vectors: [(String, UInt8, Bool, String)] = [
        ("\u{02}1A|B|C|D\r\u{03}BF\r\n", 1, true, "A|B|C|D\r"),                                         // V python-astm
        ("\u{02}0H\r\u{03}88\r\n", 0, true, "H\r"),                                                     // V python-astm (7→0 wrap)
        ("\u{02}1foo|1\r\u{03}32\r\n", 1, true, "foo|1\r"),                                             // V python-astm
        ("\u{02}1foo|1\rb\u{17}A8\r\n", 1, false, "foo|1\rb"),                                          // V python-astm (intermediate)
        ("\u{02}3az|1^2^\u{17}C0\r\n", 3, false, "az|1^2^"),                                            // V python-astm (cut mid-record)
        ("\u{02}5R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r\u{17}74\r\n", 5, false,
         "R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r"),                                          // V Tidepool comment
        ("\u{02}2R|8|^^^Glucose|133|mg/dL^P||B/X||201202052034\r\u{17}C2\r\n", 2, false,
         "R|8|^^^Glucose|133|mg/dL^P||B/X||201202052034\r"),                                             // C (record text V glucometerutils)
        ("\u{02}5L|1|N\r\u{03}08\r\n", 5, true, "L|1|N\r"),                                             // C
    ]

    static let contourHeader = "\u{02}1H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|1714||||||1|201909221304\r\u{17}D7\r\n"   // V glucometerutils test

    static var verifier: DecoderVerifier<ASTMFrameDecoder> { DecoderVerifier(ASTMFrameDecoder()) }

    @Test func publishedVectorsDecode() throws {
        for (wire, number, final, text) in Self.vectors {
            let events = Self.verifier.frames(Self.bytes(wire))
            guard case let .frame(f) = try #require(events.first), events.count == 1 else {
                Issue.record("\(wire.debugDescription) did not decode to one frame: \(events)")
                continue
            }
            #expect(f.number == number && f.isFinal == final)
            #expect(f.text.array == Self.bytes(text))
            #expect(f.bytes == Self.bytes(wire))
        }
        let header = Self.verifier.frames(Self.bytes(Self.contourHeader))
        guard case let .frame(h) = try #require(header.first) else { Issue.record("header"); return }
        #expect(h.checksum == 0xD7 && h.text.count == Self.contourHeader.utf8.count - 7)
    }

    @Test func checksumIsTheModulo256SumAsTwoUppercaseHexDigits() {
        for (wire, number, final, text) in Self.vectors {
            #expect(ASTMDataFrame.encode(number: number, text: Self.bytes(text), isFinal: final) == Self.bytes(wire))
        }
        // Lower-case digits are accepted too; the sum wraps at 256.
        #expect(Self.verifier.frames(Self.bytes("\u{02}1A|B|C|D\r\u{03}bf\r\n")).count == 1)
        let long = [UInt8](repeating: UInt8(ascii: "z"), count: 240)
        #expect(ASTMDataFrame.checksum(number: 7, text: long, isFinal: false) == UInt8((0x37 + 240 * 0x7A + 0x17) % 256))
    }

    @Test func controlBytesAreTheirOwnEvents() {
        let events = Self.verifier.frames([0x05, 0x06, 0x15, 0x04])
        #expect(events == [.control(.enq), .control(.ack), .control(.nak), .control(.eot)])
    }

    @Test func badChecksumIsSkippedWholeAndTheNextFrameFound() {
        let good = Self.bytes(Self.vectors[0].0)
        let bad = ASTMConversation.corrupted(Self.bytes(Self.vectors[2].0))
        let (events, counters) = Self.verifier.frames([bad + good])
        #expect(events.count == 1)
        #expect(counters.badChecksums == 1 && counters.garbageBytes == 0)
    }

    @Test func brokenFieldsAreMalformedAndResynchronise() {
        let good = Self.bytes(Self.vectors[1].0)
        let badNumber = Self.bytes("\u{02}9A\r\u{03}00\r\n")
        let controlInside = Self.bytes("\u{02}1A\u{05}B")
        let noCRLF = Self.bytes("\u{02}1A|B|C|D\r\u{03}BFxx")
        let (events, counters) = Self.verifier.frames([badNumber + controlInside + noCRLF + good])
        // The ENQ inside the broken frame is a real control byte once the frame is dropped.
        #expect(events.last == Self.verifier.frames(good).first)
        #expect(events.contains(.control(.enq)))
        #expect(counters.malformed == 3)
    }

    @Test func textOf240BytesIsAFrameAnd241IsNot() {
        let ok = ASTMDataFrame.encode(number: 1, text: [UInt8](repeating: 0x41, count: 240), isFinal: true)
        #expect(ok.count == ASTMFrameDecoder.maximumLength)
        #expect(Self.verifier.frames(ok).count == 1)
        let long = ASTMDataFrame.encode(number: 1, text: [UInt8](repeating: 0x41, count: 241), isFinal: true)
        let (events, counters) = Self.verifier.frames([long])
        #expect(events.isEmpty && counters.malformed == 1)
    }

    @Test func randomSplitsGiveTheSameEvents() {
        let records = ["H|\\^&|||PocLab^2.1^SN-0042", "P|1||PID-7", "O|1|S1||^^^GLU|R||20240615083000",
                       "R|1|^^^Glucose|5.6|mmol/L|3.9-6.1|N||F||||20240615083500", "L|1|N"]
        let conversation = ASTMConversation.transfer(records, maxText: 17)
        #expect(Self.verifier.splitFailures(conversation).isEmpty)
        let bad = ASTMConversation.corrupted(Self.bytes(Self.vectors[5].0))
        #expect(Self.verifier.splitFailures(bad + conversation + Self.bytes("zz\r\n") + bad, randomSplits: 150).isEmpty)
    }

    @Test func garbageBetweenFramesIsSkippedAndTheBufferStaysBounded() {
        let frames = ASTMConversation.frames(["H|\\^&", "R|1|^^^Glucose|93|mg/dL||||F||||201505261150", "L|1|N"], maxText: 9)
        let noisy = DecoderVerifier<ASTMFrameDecoder>.withGarbage(frames, fraction: 0.2, avoiding: [0x02, 0x04, 0x05, 0x06, 0x15])
        #expect(Self.verifier.frames(noisy) == Self.verifier.frames(frames.flatMap { $0 }))
        #expect(Self.verifier.splitFailures(noisy, randomSplits: 100).isEmpty)
        #expect(Self.verifier.garbageFailures().isEmpty)
    }

    @Test func fastPathFindsTheSameEvents() {
        let conversation = ASTMConversation.transfer(["H|\\^&", "R|1|^^^Glucose|93|mg/dL||||F||||201505261150", "L|1|N"], maxText: 11)
        var batch = FrameStream(ASTMFrameDecoder())
        var viaBatch: [ASTMEvent] = []
        conversation.withUnsafeBytes { batch.forEachFrame(in: $0) { viaBatch.append($0) } }
        #expect(viaBatch == Self.verifier.frames(conversation))
    }

    @Test func everyTextLengthAndByteMixSumsLikeTheReference() {
        var rng = SeededRandom(seed: 1381)
        let alphabet: [UInt8] = Array(0x20...0x7E) + [0x0D, 0x0D, 0x09, 0x80, 0xB5, 0xFF, 0x00, 0x1B]
        for length in 0...240 {
            let text = (0..<length).map { _ in alphabet[rng.below(alphabet.count)] }
            let final = rng.below(2) == 0
            let number = UInt8(rng.below(8))
            let wire = ASTMDataFrame.encode(number: number, text: text, isFinal: final)
            var reference = UInt8(ascii: "0") &+ number
            for b in text { reference &+= b }
            reference &+= final ? 0x03 : 0x17
            guard case let .frame(f) = Self.verifier.frames(wire).first else {
                Issue.record("length \(length) did not decode")
                continue
            }
            #expect(f.checksum == reference && f.text.array == text && f.isFinal == final && f.number == number)
        }
    }
}
