import Testing
import FrameParsing
import PocGateCore
import TestSupport

/// E1381 message assembly (frames → records), the receiver's ACK/NAK answers and capture replay.
@Suite struct ASTMMessageTests {
    static func frame(_ n: UInt8, _ text: String, final: Bool = false) -> ASTMDataFrame {
        let wire = ASTMDataFrame.encode(number: n, text: Array(text.utf8), isFinal: final)
        guard case let .frame(f) = DecoderVerifier(ASTMFrameDecoder()).frames(wire).first else { fatalError("not a frame") }
        return f
    }

    static func texts(_ records: [[UInt8]]) -> [String] { records.map { String(decoding: $0, as: UTF8.self) } }

    @Test func recordsSpanIntermediateFramesAndSplitOnCR() {
        var a = ASTMMessageAssembler()
        a.begin()
        var records: [[UInt8]] = []
        #expect(a.accept(Self.frame(1, "H|\\^&\rP|1")) { records.append($0) } == .accepted)
        #expect(a.accept(Self.frame(2, "\rR|1|^^^Glu")) { records.append($0) } == .accepted)
        #expect(a.accept(Self.frame(3, "cose|93|mg/dL\r")) { records.append($0) } == .accepted)
        #expect(a.accept(Self.frame(4, "L|1|N", final: true)) { records.append($0) } == .accepted)
        #expect(Self.texts(records) == ["H|\\^&", "P|1", "R|1|^^^Glucose|93|mg/dL", "L|1|N"])
        #expect(a.end() == 0)
    }

    @Test func frameNumbersWrapFrom7To0() {
        var a = ASTMMessageAssembler()
        a.begin()
        var n = 0
        for i in 1...17 {
            #expect(a.accept(Self.frame(UInt8(i % 8), "R|\(i)\r")) { _ in n += 1 } == .accepted)
        }
        #expect(n == 17 && a.expected == 2)
    }

    @Test func retransmissionOfTheLastFrameIsAcceptedOnceNotDuplicated() {
        var a = ASTMMessageAssembler()
        a.begin()
        var records: [[UInt8]] = []
        _ = a.accept(Self.frame(1, "H|\\^&\r")) { records.append($0) }
        _ = a.accept(Self.frame(2, "R|1|^^^Glucose|93|mg/dL\r")) { records.append($0) }
        #expect(a.accept(Self.frame(2, "R|1|^^^Glucose|93|mg/dL\r")) { records.append($0) } == .duplicate)
        #expect(a.accept(Self.frame(4, "L|1\r")) { records.append($0) } == .outOfSequence(expected: 3, got: 4))
        #expect(a.accept(Self.frame(3, "L|1\r", final: true)) { records.append($0) } == .accepted)
        #expect(Self.texts(records) == ["H|\\^&", "R|1|^^^Glucose|93|mg/dL", "L|1"])
    }

    @Test func framesOutsideATransferAndUnfinishedRecords() {
        var a = ASTMMessageAssembler()
        #expect(a.accept(Self.frame(1, "H\r")) { _ in } == .notInTransfer)
        a.begin()
        _ = a.accept(Self.frame(1, "R|1|^^^Glu")) { _ in Issue.record("no record is complete yet") }
        #expect(a.end() == 10)
        a.begin()
        var records: [[UInt8]] = []
        _ = a.accept(Self.frame(1, "L|1", final: true)) { records.append($0) }
        #expect(Self.texts(records) == ["L|1"])
    }

    @Test func receiverAnswersAckNakAndNothingElse() {
        var rx = ASTMReceiver(profileID: "p", analytes: ShippedAnalytes.table)
        var outputs: [ASTMReceiver.Output] = []
        #expect(rx.rejectedFrame() == nil)                    // nothing is answered outside a transfer
        #expect(rx.take(.frame(Self.frame(1, "H\r"))) { outputs.append($0) } == .nak)
        #expect(rx.take(.control(.enq)) { outputs.append($0) } == .ack)
        #expect(rx.take(.frame(Self.frame(1, "H|\\^&|||Lab^1^S1\r"))) { outputs.append($0) } == .ack)
        #expect(rx.rejectedFrame() == .nak)
        #expect(rx.take(.frame(Self.frame(2, "R|1|^^^Glucose|93|mg/dL||||F||||202406150830\r"))) { outputs.append($0) } == .ack)
        #expect(rx.take(.frame(Self.frame(2, "R|1|^^^Glucose|93|mg/dL||||F||||202406150830\r"))) { outputs.append($0) } == .ack)
        #expect(rx.take(.frame(Self.frame(5, "L|1\r"))) { outputs.append($0) } == .nak)
        #expect(rx.take(.control(.ack)) { outputs.append($0) } == nil)
        #expect(rx.take(.control(.eot)) { outputs.append($0) } == nil)
        #expect(rx.naks == 3 && rx.duplicates == 1)
        #expect(outputs.filter { if case .reading = $0 { return true } else { return false } }.count == 1)
        #expect(outputs.last == .transferEnded)
    }

    @Test func onlyASingleAckOrNakMayBeTransmitted() {
        for b in 0...255 {
            #expect(ASTMReply.mayTransmit([UInt8(b)]) == (b == 0x06 || b == 0x15))
        }
        #expect(!ASTMReply.mayTransmit([]) && !ASTMReply.mayTransmit([0x06, 0x06]) && !ASTMReply.mayTransmit([0x05]))
        #expect(!ASTMReply.mayTransmit(ASTMDataFrame.encode(number: 1, text: Array("W|".utf8), isFinal: true)))
    }

    @Test func replayTakesTheRetransmissionOfANakedFrame() {
        let records = ["H|\\^&|||LipidPro^1.0^LP-0001", "P|1|PAT-001",
                       "R|1|^^^CHOL|212|mg/dL||H||F||||20240615083000", "R|2|^^^TG|150|mg/dL||||F||||20240615083000", "L|1|N"]
        let frames = ASTMConversation.frames(records, maxText: 20)
        var wire: [UInt8] = [0x05]
        for (i, f) in frames.enumerated() {
            if i == 2 { wire += ASTMConversation.corrupted(f) }   // the gateway NAKs it; the device sends it again
            if i == 4 { wire += f }                              // a retransmission after a lost ACK
            wire += f
        }
        wire.append(0x04)
        let result = ASTMTransfer.decodeCapture(wire, profileID: "astm-poct", analytes: ShippedAnalytes.table)
        #expect(result.problems.isEmpty)
        #expect(result.counters.badChecksums == 1)
        #expect(result.readings.map(\.value) == [ExactDecimal(212), ExactDecimal(150)])
        #expect(result.readings.map(\.flags) == [[.abnormalHigh], []])
        #expect(result.deviceSerial == "LP-0001" && result.deviceModel == "LipidPro")
        #expect(result.readings.allSatisfy { $0.patientID == "PAT-001" })
    }
}
