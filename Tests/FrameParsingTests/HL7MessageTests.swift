import Testing
import FrameParsing
import PocGateCore

/// HL7 v2 message structure: delimiters from MSH-1/MSH-2, escapes, repetitions, value types.
@Suite struct HL7MessageTests {
    static func segment(_ text: String, _ header: String = #"MSH|^~\&|A"#) throws -> HL7Segment {
        let m = try HL7Message(parsing: Array((header + "\r" + text + "\r").utf8))
        return m.segments[1]
    }

    @Test func mshFieldsAreNumberedAsHL7NumbersThem() throws {
        let m = try HL7Message(parsing: HL7Fixtures.kiosk)
        #expect(m.encoding == .standard)
        #expect(m.header.text(1) == "|" && m.header.text(2) == #"^~\&"#)
        #expect(m.header.text(3, component: 2) == "00A0C9FFFE123456")
        #expect(m.messageType == ("ORU", "R01"))
        #expect(m.controlID == "HK0000001")
        #expect(m.segments.map(\.id).filter { $0 == "OBX" }.count == 13)
    }

    @Test func otherEncodingCharactersAreHonoured() throws {
        let text = "MSH#$*@%#KIOSK$0123#X#POCGATE##20240615083000##ORU$R01#C9#P#2.5\rOBX#1#SN#8867-4$HR$LN##>$33.3#/min#\rPID###A*B\r"
        let m = try HL7Message(parsing: Array(text.utf8))
        #expect(m.encoding == HL7Encoding(field: UInt8(ascii: "#"), component: UInt8(ascii: "$"), repetition: UInt8(ascii: "*"),
                                          escape: UInt8(ascii: "@"), subcomponent: UInt8(ascii: "%")))
        #expect(m.messageType == ("ORU", "R01") && m.controlID == "C9")
        #expect(m.header.text(3, component: 2) == "0123")
        let obx = m.segments[1]
        #expect(obx.components(5) == [">", "33.3"])
        #expect(m.segments[2].repetitions(3).count == 2)
        #expect(m.segments[2].text(3, repetition: 1) == "B")
    }

    @Test func badHeadersAreErrors() {
        #expect(throws: HL7ParseError.noMSH) { try HL7Message(parsing: Array("PID|1\r".utf8)) }
        #expect(throws: HL7ParseError.empty) { try HL7Message(parsing: [0x0D, 0x0A]) }
        #expect(throws: HL7ParseError.badEncodingCharacters) { try HL7Message(parsing: Array("MSH|^^\\&|A\r".utf8)) }
        #expect(throws: HL7ParseError.badEncodingCharacters) { try HL7Message(parsing: Array("MSH||".utf8)) }
        #expect(throws: HL7ParseError.badSegmentID("OB|1|NM")) { try HL7Message(parsing: Array("MSH|^~\\&|A\rOB|1|NM\r".utf8)) }
    }

    @Test func escapesDecodeAtTheLeaf() throws {
        let s = try Self.segment(#"NTE|1||a\F\b\S\c\T\d\R\e\E\f|\X4142\z|\H\bold\N\|unterminated\F|\Xzz\"#)
        #expect(s.text(3) == #"a|b^c&d~e\f"#)          // whole, not split at the escaped delimiters
        #expect(s.components(3).count == 1)
        #expect(s.text(4) == "ABz")
        #expect(s.text(5) == #"\H\bold\N\"#)           // highlighting kept verbatim
        #expect(s.text(6) == #"unterminated\F"#)
        #expect(s.text(7) == #"\Xzz\"#)
    }

    @Test func escapesFollowTheMessageEscapeCharacter() throws {
        let s = try Self.segment("NTE#1##x!F!y!S!z", "MSH#^~!&#A")
        #expect(s.text(3) == "x#y^z")
    }

    @Test func repetitionsComponentsAndSubcomponents() throws {
        let s = try Self.segment("PID|1||first^^^A&1.2&ISO~second^^^B||")
        #expect(s.repetitions(3).count == 2)
        #expect(s.text(3) == "first" && s.text(3, repetition: 1) == "second")
        #expect(s.text(3, component: 4) == "A" && s.text(3, component: 4, subcomponent: 2) == "1.2")
        #expect(s.text(3, repetition: 2) == "" && s.text(9) == "" && s.text(3, component: 9) == "")
    }

    @Test func lfAfterCRAndBlankLinesAreTolerated() throws {
        let m = try HL7Message(parsing: Array("MSH|^~\\&|A\r\nPID|1\r\n\r\nOBX|1\n".utf8))
        #expect(m.segments.map(\.id) == ["MSH", "PID", "OBX"])
    }

    @Test func timestampsKeepTheWallClock() {
        #expect(HL7Timestamp.parse("20240615083000+0800") == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(HL7Timestamp.parse("20240615083005.123-0500") == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 5))
        #expect(HL7Timestamp.parse("202406150830") == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30))
        #expect(HL7Timestamp.parse("20240615") == LocalDateTime(year: 2024, month: 6, day: 15))   // a date: precision kept
        #expect(HL7Timestamp.parse("20240231083000") == nil)
        #expect(HL7Timestamp.parse("20240615083000+08") == nil)
    }
}
