import Testing
import FrameParsing
import PocGateCore

/// Fields, repetitions, components and subcomponents are found by scanning the segment, not by
/// splitting it into arrays on every access. The answers must be those of the split: each
/// accessor is compared here with a reference that splits, over segments with empty parts,
/// escapes, MSH-1/MSH-2 and other encoding characters.
@Suite struct HL7SegmentAccessTests {
    /// The split the accessors used to make, level by level.
    static func reference(_ s: HL7Segment, _ n: Int, _ rep: Int, _ comp: Int, _ sub: Int) -> [UInt8] {
        if s.id == "MSH" && (n == 1 || n == 2) { return Array(s.raw(n)) }
        let reps = s.raw(n).split(separator: s.encoding.repetition, omittingEmptySubsequences: false)
        guard rep < reps.count else { return [] }
        let comps = reps[rep].split(separator: s.encoding.component, omittingEmptySubsequences: false)
        guard comp >= 1, comp <= comps.count else { return [] }
        let subs = comps[comp - 1].split(separator: s.encoding.subcomponent, omittingEmptySubsequences: false)
        guard sub >= 1, sub <= subs.count else { return [] }
        return s.bytesUnescapedForReference(subs[sub - 1])
    }

    static let messages = [
        "MSH|^~\\&|HK-7000^00A0C9FFFE123456^EUI-64|CLINIC||POCGATE|20240615083000||ORU^R01|C1|P|2.6\r"
            + "PID|1||320102196203150013^^^CHN^NNCHN~~X12^^^A&B&C||Test^Pat\\T\\ient^^^\r"
            + "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|120|266016^MDC_DIM_MMHG^MDC|90-140|H~>||||R\r"
            + "OBX|2|ST|^^||a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\X41\\||~~^~&&||||\r"
            + "NTE||||\r",
        "MSH#$*@%#KIOSK$0123#X#POCGATE##20240615083000##ORU$R01#C9#P#2.5\r"
            + "OBX#1#SN#8867-4$HR$LN##>$33.3#/min#*$%$#\rPID###A*B%C$D*@F@\r",
    ]

    /// Spaces around values, a field of spaces only, and spaces that belong to a grapheme with
    /// a non-ASCII neighbour (a combining acute after, an Arabic number sign, which is a
    /// prepended mark, before): `trimmedText` trims on bytes what a character-wise trim
    /// would, and nothing more.
    @Test func trimmedTextIsTheCharacterWiseTrim() throws {
        let values = ["  120 ", "   ", "", "a b", " \u{301}x ", "x\u{600} ", " \u{301}", "\u{600} ", " é ", " \\T\\ 7 ", "\\X20\\5"]
        for value in values {
            let m = try HL7Message(parsing: Array("MSH|^~\\&|A\rOBX|1|NM|\(value)^\(value)\r".utf8))
            let obx = try #require(m.segments.last)
            for component in 1...2 {
                #expect(obx.trimmedText(3, component: component) == obx.text(3, component: component).trimmingSpacesForReference,
                        "'\(value)'")
            }
        }
    }

    @Test func scannedAccessorsAnswerAsTheSplitDid() throws {
        var compared = 0
        for text in Self.messages {
            let m = try HL7Message(parsing: Array(text.utf8))
            for s in m.segments {
                for n in 0...(s.fieldCount + 2) {
                    #expect(s.repetitionCount(n) == s.repetitions(n).count)
                    for rep in 0...3 {
                        let count = rep < s.repetitions(n).count
                            ? s.repetitions(n)[rep].split(separator: s.encoding.component, omittingEmptySubsequences: false).count : 0
                        let expected = rep < s.repetitions(n).count
                            ? (1...max(1, count)).map { String(decoding: Self.reference(s, n, rep, $0, 1), as: UTF8.self) } : []
                        #expect(s.components(n, repetition: rep) == expected, "\(s.id)-\(n) repetition \(rep)")
                        for comp in 0...4 {
                            for sub in 0...3 {
                                let want = Self.reference(s, n, rep, comp, sub)
                                #expect(s.bytes(n, repetition: rep, component: comp, subcomponent: sub) == want,
                                        "\(s.id)-\(n).\(rep).\(comp).\(sub)")
                                #expect(s.text(n, repetition: rep, component: comp, subcomponent: sub) == String(decoding: want, as: UTF8.self))
                                #expect(s.trimmedText(n, repetition: rep, component: comp, subcomponent: sub)
                                        == String(decoding: want, as: UTF8.self).trimmingSpacesForReference)
                                compared += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 1000)
    }
}

extension String {
    /// Spaces trimmed character by character, as the decoder's `trimmingSpaces` defines it.
    var trimmingSpacesForReference: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension HL7Segment {
    /// The unescaping the accessors apply to a leaf, through the public API: a one-field
    /// segment holding the leaf, read back.
    func bytesUnescapedForReference(_ leaf: ArraySlice<UInt8>) -> [UInt8] {
        let enc = encoding
        let msh = [UInt8(ascii: "M"), UInt8(ascii: "S"), UInt8(ascii: "H"), enc.field, enc.component, enc.repetition, enc.escape, enc.subcomponent]
        let bytes = msh + [0x0D, UInt8(ascii: "Z"), UInt8(ascii: "Z"), UInt8(ascii: "Z"), enc.field] + Array(leaf) + [0x0D]
        guard let m = try? HL7Message(parsing: bytes), m.segments.count == 2 else { return [] }
        return m.segments[1].bytes(1)
    }
}
