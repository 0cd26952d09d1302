import PocGateCore

/// Where the fields of one E1394 record (other than a header) begin and end in its text, so
/// that a field, repeat or component is found by offset without splitting the record into
/// arrays. The offsets live in a buffer that is reused from record to record.
///
/// Reading a component gives the same bytes `ASTMRecord` gives for it: fields split on the
/// field delimiter, a field's repeats on the repeat delimiter, a repeat's components on the
/// component delimiter, and the escape sequences replaced only in the component read.
struct ASTMFieldIndex: Sendable {
    /// End offset (exclusive) of field 1, 2, …; field n starts after the end of field n − 1.
    private var ends: [Int] = []

    init() { ends.reserveCapacity(32) }

    /// Indexes `text` (a record without its CR, not a header) split on `field`.
    mutating func index(_ text: [UInt8], field: UInt8) {
        ends.removeAll(keepingCapacity: true)
        text.withUnsafeBufferPointer { t in
            for i in 0..<t.count where t[i] == field { ends.append(i) }
        }
        ends.append(text.count)
    }

    /// The byte range of field `n` (from 1), or nil when the record has fewer fields.
    func field(_ n: Int) -> Range<Int>? {
        guard n >= 1, n <= ends.count else { return nil }
        return (n == 1 ? 0 : ends[n - 2] + 1)..<ends[n - 1]
    }

    /// The byte range of component `component` (from 1) of repeat `repeat` (from 0) of field
    /// `n` in `text`, or nil when absent.
    func component(_ text: [UInt8], _ n: Int, repeat rep: Int = 0, component: Int = 1,
                   _ d: ASTMDelimiters) -> Range<Int>? {
        guard let f = field(n) else { return nil }
        return Self.component(text, in: f, repeat: rep, component: component, d)
    }

    /// The byte range of component `component` of repeat `repeat` within `f`.
    static func component(_ text: [UInt8], in f: Range<Int>, repeat rep: Int, component: Int,
                          _ d: ASTMDelimiters) -> Range<Int>? {
        var start = f.lowerBound
        var r = 0
        while r < rep {
            guard let next = text[start..<f.upperBound].firstIndex(of: d.repeat) else { return nil }
            start = next + 1
            r += 1
        }
        let repEnd = text[start..<f.upperBound].firstIndex(of: d.repeat) ?? f.upperBound
        var c = 1
        while c < component {
            guard let next = text[start..<repEnd].firstIndex(of: d.component) else { return nil }
            start = next + 1
            c += 1
        }
        return start..<(text[start..<repEnd].firstIndex(of: d.component) ?? repEnd)
    }

    /// The unescaped bytes of a component range (a view into `text` unless it holds an
    /// escape sequence), with leading and trailing spaces removed when `trimmed`.
    static func value(_ text: [UInt8], _ range: Range<Int>?, _ d: ASTMDelimiters, trimmed: Bool = true) -> ArraySlice<UInt8> {
        guard let range else { return [] }
        var v = text[range]
        if v.contains(d.escape) { v = d.unescape(v)[...] }
        return trimmed ? trimSpaces(v) : v
    }

    /// `v` without leading and trailing spaces (for ASCII text: what `String.trimmed` does).
    static func trimSpaces(_ v: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = v.startIndex, e = v.endIndex
        while s < e, v[s] == 0x20 { s += 1 }
        while e > s, v[e - 1] == 0x20 { e -= 1 }
        return v[s..<e]
    }

    /// Whether `v` is exactly the ASCII text `s`.
    static func equals(_ v: ArraySlice<UInt8>, _ s: StaticString) -> Bool {
        guard v.count == s.utf8CodeUnitCount else { return false }
        return s.withUTF8Buffer { b in zip(v, b).allSatisfy { $0 == $1 } }
    }

    /// Whether `v` is the ASCII text `s` (upper case) in any letter case.
    static func equalsIgnoringCase(_ v: ArraySlice<UInt8>, _ s: StaticString) -> Bool {
        guard v.count == s.utf8CodeUnitCount else { return false }
        return s.withUTF8Buffer { b in zip(v, b).allSatisfy { ($0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0) == $1 } }
    }
}

extension ASTMTransfer {
    /// `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS` (spaces around allowed), or nil: `time(_:)` on bytes.
    static func time(bytes: ArraySlice<UInt8>) -> LocalDateTime? {
        let d = ASTMFieldIndex.trimSpaces(bytes)
        guard d.count == 12 || d.count == 14, d.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let base = d.startIndex
        func n(_ at: Int, _ len: Int) -> Int {
            var v = 0
            for i in (base + at)..<(base + at + len) { v = v * 10 + Int(d[i] - 0x30) }
            return v
        }
        let t = LocalDateTime(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(8, 2), minute: n(10, 2),
                              second: d.count == 14 ? n(12, 2) : 0)
        return t.isValid ? t : nil
    }
}

/// A plain decimal literal (`120`, `-3`, `5.60`) read from bytes: what
/// `ExactDecimal(parsing:)` reads from the same text.
func parseExactDecimal(_ text: ArraySlice<UInt8>) -> ExactDecimal? {
    ExactDecimal(parsingASCII: text)
}
