public import PocGateCore

/// One checked OneTouch Ultra 2 reply line: `<text> <4 hex digits>` ended by CR (LF optional),
/// where the digits are the 16-bit sum of the text's bytes. Fields are parsed in place by the
/// decoder; `text` keeps the line for serials and provenance.
public struct Ultra2Line: Sendable, Hashable {
    /// What the line is.
    public enum Kind: Sendable, Hashable {
        /// `P "DOW","MM/DD/YY","HH:MM:SS   ","C VVV?","M","cc", 00`: one stored measurement
        /// (the original OneTouch Ultra's line ends `"C VVV?", 00`, without meal and comment).
        case record(Ultra2Record)
        /// `P nnn,"SERIALNUM","MG/DL "`: the dump header with the record count.
        case dumpHeader(count: Int)
        /// `@ "SERIALNUM"`: the serial number.
        case serial
        /// `F "DOW","MM/DD/YY","HH:MM:SS   "`: the meter clock (nil when not a date).
        case clock(LocalDateTime?)
        /// `SU?,"MG/DL "` or `SU?,"MMOL/L"`: the display unit.
        case unitSetting
        /// `?…`: the firmware identification.
        case firmware
        /// A `P "` line whose fields do not have the documented layout.
        case unparsedRecord
        /// Any other checked line (for example `T …`, the answer to a clock write pocgate never sends).
        case other
    }

    public var kind: Kind
    /// The text before the checksum.
    public var text: InlineBytes
    /// The checksum the line carried (and matched).
    public var checksum: UInt16

    @usableFromInline
    init(kind: Kind, text: InlineBytes, checksum: UInt16) {
        self.kind = kind
        self.text = text
        self.checksum = checksum
    }

    /// The serial of a `.dumpHeader` or `.serial` line: whatever stands between its quotes.
    /// LifeScan documents 9 characters, but real meters report other lengths, so any length
    /// the line allows (1 up to the longest line) is taken.
    public var serial: String? {
        text.withBytes { t -> String? in
            let range: Range<Int>?
            switch kind {
            case .dumpHeader: range = Self.serialRange(dumpHeader: t)
            case .serial: range = Self.serialRange(serialLine: t)
            default: range = nil
            }
            return range.map { text.text($0) }
        }
    }

    /// The unit text of a `.dumpHeader` or `.unitSetting` line, mapped to UCUM.
    public var displayUnit: String? {
        let raw: String
        switch kind {
        case .dumpHeader where text.count >= 26: raw = text.text((text.count - 7)..<(text.count - 1))
        case .unitSetting where text.count >= 11: raw = text.text(5..<11)
        default: return nil
        }
        switch raw {
        case "MG/DL ": return "mg/dL"
        case "MMOL/L": return "mmol/L"
        default: return nil
        }
    }

    /// Where the serial is in a dump header `P nnn,"SERIAL","UNIT  "`: between `,"` at 5 and
    /// the `","` ten characters before the end; nil when the line has another shape or the
    /// serial is empty, not printable, or holds a quote.
    public static func serialRange(dumpHeader t: UnsafeRawBufferPointer) -> Range<Int>? {
        let n = t.count
        guard n >= 18, ASCIIField.matches(t, 0, "P "), ASCIIField.matches(t, 5, ",\""),
              ASCIIField.matches(t, n - 10, "\",\""), t[n - 1] == UInt8(ascii: "\"") else { return nil }
        return printable(t, 7..<(n - 10))
    }

    /// Where the serial is in `@ "SERIAL"`; nil as for `serialRange(dumpHeader:)`.
    public static func serialRange(serialLine t: UnsafeRawBufferPointer) -> Range<Int>? {
        let n = t.count
        guard n >= 5, ASCIIField.matches(t, 0, "@ \""), t[n - 1] == UInt8(ascii: "\"") else { return nil }
        return printable(t, 3..<(n - 1))
    }

    private static func printable(_ t: UnsafeRawBufferPointer, _ r: Range<Int>) -> Range<Int>? {
        guard !r.isEmpty, r.allSatisfy({ t[$0] > 0x20 && t[$0] < 0x7F && t[$0] != UInt8(ascii: "\"") }) else { return nil }
        return r
    }

    /// The bytes on the wire for `text`: text, space, checksum, CR LF.
    public static func encode(_ text: String) -> [UInt8] {
        let t = Array(text.utf8)
        return t + [0x20] + ASCIIHex.encode4(Checksum.sum16(t)) + [0x0D, 0x0A]
    }
}

/// The fields of one Ultra 2 record line.
public struct Ultra2Record: Sendable, Hashable {
    /// The measurement time (year = 2000 + two digits).
    public var time: LocalDateTime
    /// Glucose in mg/dL, whatever the display unit.
    public var mgdL: Int
    /// `C` in the value field: a control-solution test.
    public var controlSolution: Bool
    /// `?` after the value: the meter marked the stored value with a parity error.
    public var parityError: Bool
    /// `N`, `B` or `A` (none, before meal, after meal), as the ASCII byte.
    public var meal: UInt8
    /// Comment code 0…11 (0 = none).
    public var comment: Int

    public init(time: LocalDateTime, mgdL: Int, controlSolution: Bool, parityError: Bool, meal: UInt8, comment: Int) {
        self.time = time
        self.mgdL = mgdL
        self.controlSolution = controlSolution
        self.parityError = parityError
        self.meal = meal
        self.comment = comment
    }
}
