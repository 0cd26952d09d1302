import Testing
import FrameParsing
import PocGateCore

/// Acknowledgements: MSH swapped, same delimiters, MSA-1 and MSA-2, ERR reasons.
@Suite struct HL7AckTests {
    static let now = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 35, second: 1)

    static func ack(_ payload: [UInt8], _ code: HL7AckCode, _ reasons: [HL7Acknowledgement.Reason] = []) throws -> HL7Message {
        try HL7Message(parsing: HL7Acknowledgement.build(for: payload, code: code, reasons: reasons, timestamp: now))
    }

    @Test func acceptEchoesTheControlIdAndSwapsSenderAndReceiver() throws {
        let bytes = HL7Acknowledgement.build(for: HL7Fixtures.kiosk, code: .accept, timestamp: Self.now)
        let text = String(decoding: bytes, as: UTF8.self)
        let id = HL7Acknowledgement.controlID(acknowledging: "HK0000001", code: .accept)
        #expect(text == #"MSH|^~\&|POCGATE|HIS|HK-7000^00A0C9FFFE123456^EUI-64|TOWNSHIP CLINIC|20240615083501||ACK^R01^ACK|"#
                + id + "|P|2.6\rMSA|AA|HK0000001\r")
        #expect(id.count <= 20 && id != "HK0000001")
        #expect(HL7Acknowledgement.controlID(acknowledging: "HK0000001", code: .accept) == id)   // deterministic
        #expect(HL7Acknowledgement.controlID(acknowledging: "HK0000002", code: .accept) != id)
        #expect(HL7Acknowledgement.controlID(acknowledging: "HK0000001", code: .error) != id)
    }

    @Test func ackUsesTheReceivedEncodingCharacters() throws {
        let text = "MSH#$*@%#KIOSK$0123#X#POCGATE##20240615083000##ORU$R01#C9#P#2.5\rPID###1\r"
        let m = try Self.ack(Array(text.utf8), .error, [HL7Acknowledgement.Reason(segment: "OBX", sequence: "1", field: 6, code: 103,
                                                                                  text: "unit 'a#b$c' unknown")])
        #expect(m.encoding == HL7Encoding(field: UInt8(ascii: "#"), component: UInt8(ascii: "$"), repetition: UInt8(ascii: "*"),
                                          escape: UInt8(ascii: "@"), subcomponent: UInt8(ascii: "%")))
        #expect(m.header.text(3) == "POCGATE" && m.header.text(5) == "KIOSK" && m.header.text(5, component: 2) == "0123")
        #expect(m.header.text(12) == "2.5")
        let msa = try #require(m.first("MSA"))
        #expect(msa.text(1) == "AE" && msa.text(2) == "C9" && msa.text(3) == "unit 'a#b$c' unknown")
        let err = try #require(m.first("ERR"))
        #expect(err.components(2) == ["OBX", "1", "6"] && err.text(3) == "103" && err.text(4) == "E")
        #expect(err.text(8) == "unit 'a#b$c' unknown")
    }

    /// A sender that starts its payload with a line feed (or a blank line) still gets its
    /// control id echoed: the ACK reads the header where the parser finds it. Found by fuzzing.
    @Test(arguments: [[0x0A], [0x0D, 0x0A], [0x0D, 0x0D]] as [[UInt8]])
    func ackEchoesTheControlIdAfterLeadingBlankLines(prefix: [UInt8]) throws {
        let payload = prefix + HL7Fixtures.kiosk
        let received = try HL7Message(parsing: payload)
        for code in HL7AckCode.allCases {
            let m = try Self.ack(payload, code)
            #expect(m.first("MSA")?.text(2) == received.controlID && m.header.text(4) == "HIS")
        }
    }

    @Test func errorListsEveryProblem() throws {
        var segments = HL7Fixtures.kioskSegments
        segments[8] = "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1|97|furlong"
        segments.append("OBX|10|NM|1234-5^Mystery^LN||1|mg/dL")
        let payload = HL7Fixtures.message(segments)
        let oru = try HL7ORU.interpret(payload: payload, profileID: "p").get().1
        #expect(oru.problems.count == 2 && oru.readings.count == 10)
        let m = try Self.ack(payload, .error, oru.problems.map(HL7Acknowledgement.Reason.init))
        #expect(m.first("MSA")?.text(1) == "AE" && m.first("MSA")?.text(2) == "HK0000001")
        let errs = m.segments.filter { $0.id == "ERR" }
        #expect(errs.map { $0.text(3) } == ["103", "103"])
        #expect(errs.map { $0.components(2) } == [["OBX", "1", "6"], ["OBX", "10", "3"]])
        #expect(errs[0].text(8).contains("furlong"))
        #expect(!String(decoding: HL7Acknowledgement.build(for: payload, code: .error, reasons: oru.problems.map(HL7Acknowledgement.Reason.init),
                                                           timestamp: Self.now), as: UTF8.self).contains(HL7Fixtures.patient))
    }

    @Test func rejectForOtherMessageTypes() throws {
        let adt = HL7Fixtures.message([HL7Fixtures.msh("C7", type: "ADT^A01"), "PID|||1"])
        guard case let .failure(rejection) = HL7ORU.interpret(payload: adt, profileID: "p") else { Issue.record("accepted ADT"); return }
        let m = try Self.ack(adt, .reject, [HL7Acknowledgement.Reason(rejection)])
        #expect(m.first("MSA")?.text(1) == "AR" && m.first("MSA")?.text(2) == "C7")
        #expect(m.header.components(9) == ["ACK", "A01", "ACK"])
        #expect(m.first("ERR")?.text(3) == "200")
    }

    @Test func rejectForAnUnreadableHeader() throws {
        let m = try Self.ack(Array("MSH|^^\\&|KIOSK||||||ORU^R01|Z1|P|2.6\r".utf8), .reject, [HL7Acknowledgement.Reason(.unparsable(.badEncodingCharacters))])
        #expect(m.encoding == .standard)
        #expect(m.first("MSA")?.text(1) == "AR" && m.first("MSA")?.text(2) == "Z1")
        let none = try Self.ack(Array("garbage".utf8), .reject, [HL7Acknowledgement.Reason(.unparsable(.noMSH))])
        #expect(none.first("MSA")?.text(2) == "" && none.header.text(3) == "POCGATE")
    }

    @Test func onlyWrappedAcknowledgementsMayBeTransmitted() {
        let ack = MLLPBlock.wrap(HL7Acknowledgement.build(for: HL7Fixtures.kiosk, code: .accept, timestamp: Self.now))
        #expect(HL7Acknowledgement.mayTransmit(ack))
        for code in HL7AckCode.allCases {
            let reasons = code == .accept ? [] : [HL7Acknowledgement.Reason(code: 207, text: "x")]
            #expect(HL7Acknowledgement.mayTransmit(MLLPBlock.wrap(HL7Acknowledgement.build(for: HL7Fixtures.kiosk, code: code, reasons: reasons, timestamp: Self.now))))
        }
        #expect(!HL7Acknowledgement.mayTransmit(HL7Acknowledgement.build(for: HL7Fixtures.kiosk, code: .accept, timestamp: Self.now)))  // unwrapped
        #expect(!HL7Acknowledgement.mayTransmit(MLLPBlock.wrap(HL7Fixtures.kiosk)))          // an ORU, not an ACK
        #expect(!HL7Acknowledgement.mayTransmit(ack + ack))
        #expect(!HL7Acknowledgement.mayTransmit(MLLPBlock.wrap(Array("MSH|^~\\&|A||||||ACK|1|P|2.6\rMSA|XX|1\r".utf8))))
        #expect(!HL7Acknowledgement.mayTransmit(MLLPBlock.wrap(Array("MSH|^~\\&|A||||||ACK|1|P|2.6\rMSA|AA|1\rPID|||1\r".utf8))))
        #expect(!HL7Acknowledgement.mayTransmit([0x0B, 0x06, 0x1C, 0x0D]))
    }
}
