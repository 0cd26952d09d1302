/// One segment: its id and its fields, numbered as HL7 numbers them (`field(1)` is OBX-1).
/// For MSH, field 1 is the field separator and field 2 the encoding characters, so MSH-n is
/// `field(n)` there too.
public struct HL7Segment: Sendable, Equatable {
    /// `MSH`, `PID`, `OBR`, `OBX`, …
    public var id: String
    /// The message's delimiters.
    public var encoding: HL7Encoding
    /// The whole segment as received, without its CR.
    public var line: ArraySlice<UInt8>
    /// Where each field lies in `line`: field `n` is `line[bounds[2n]..<bounds[2n + 1]]`
    /// (indices of `line`'s base). Found in one pass; the fields are never copied.
    private var bounds: [Int]
    /// Whether this is the MSH segment, whose fields 1 and 2 are the delimiters themselves.
    private let isHeader: Bool

    init(_ line: ArraySlice<UInt8>, _ enc: HL7Encoding) {
        var bounds: [Int] = []
        bounds.reserveCapacity(32)
        var start = line.startIndex
        var i = line.startIndex
        while i < line.endIndex {
            if line[i] == enc.field {
                bounds.append(start)
                bounds.append(i)
                start = i + 1
            }
            i += 1
        }
        bounds.append(start)
        bounds.append(line.endIndex)
        id = String(decoding: line[bounds[0]..<bounds[1]], as: UTF8.self)
        isHeader = id == "MSH"
        if isHeader, bounds.count >= 4 {
            // MSH-1 is the field separator itself (the byte after "MSH"), MSH-2 what follows it.
            let sep = line.startIndex + 3
            bounds.insert(contentsOf: [sep, sep + 1], at: 2)
        }
        self.bounds = bounds
        encoding = enc
        self.line = line
    }

    /// Field bytes as received (escapes intact); index 0 is the segment id.
    public var fields: [ArraySlice<UInt8>] { (0..<(bounds.count / 2)).map(raw) }

    /// The same id, delimiters and bytes.
    public static func == (a: HL7Segment, b: HL7Segment) -> Bool {
        a.id == b.id && a.encoding == b.encoding && a.line.elementsEqual(b.line)
    }

    /// Whether field `n` is MSH-1 or MSH-2, the delimiters, which are never split or unescaped.
    private func isDelimiterField(_ n: Int) -> Bool { isHeader && (n == 1 || n == 2) }

    /// How many fields the segment carries (the highest field number present).
    public var fieldCount: Int { bounds.count / 2 - 1 }

    /// The raw bytes of field `n` (all repetitions), empty when absent.
    public func raw(_ n: Int) -> ArraySlice<UInt8> {
        n >= 0 && 2 * n + 1 < bounds.count ? line[bounds[2 * n]..<bounds[2 * n + 1]] : []
    }

    /// The repetitions of field `n` (one, possibly empty, when the field is present).
    public func repetitions(_ n: Int) -> [ArraySlice<UInt8>] {
        if isDelimiterField(n) { return [raw(n)] }
        return raw(n).split(separator: encoding.repetition, omittingEmptySubsequences: false)
    }

    /// How many repetitions `repetitions(n)` holds, counted without splitting.
    public func repetitionCount(_ n: Int) -> Int {
        if isDelimiterField(n) { return 1 }
        return Self.count(raw(n), encoding.repetition)
    }

    /// The bytes of field `n`, repetition `repetition`, component, subcomponent as received
    /// (escapes intact), found in one pass over the field; nil when absent. A separator of a
    /// level counts only inside the part of the level above that is wanted, so the answer is
    /// that of splitting at repetitions, then components, then subcomponents.
    func slice(_ n: Int, repetition: Int, component: Int, subcomponent: Int) -> ArraySlice<UInt8>? {
        guard repetition >= 0, component >= 1, subcomponent >= 1 else { return nil }
        let field = raw(n)
        let enc = encoding
        let found: Range<Int>? = field.withUnsafeBufferPointer { b in
            var r = 0, c = 1, s = 1
            var start = 0
            var i = 0
            while i < b.count {
                let x = b[i]
                if x == enc.repetition || x == enc.component || x == enc.subcomponent {
                    if r == repetition && c == component && s == subcomponent { return start..<i }
                    if x == enc.repetition {
                        if r == repetition { return nil }
                        r += 1; c = 1; s = 1
                    } else if r == repetition {
                        if x == enc.component {
                            if c == component { return nil }
                            c += 1; s = 1
                        } else if c == component {
                            s += 1
                        }
                    }
                    start = i + 1
                }
                i += 1
            }
            return r == repetition && c == component && s == subcomponent ? start..<b.count : nil
        }
        guard let found else { return nil }
        return field[(field.startIndex + found.lowerBound)..<(field.startIndex + found.upperBound)]
    }

    /// The `k`-th (from 0) part of `s` between `separator`s, or nil when there are fewer.
    /// One pass over the bytes; the only slice made is the one returned.
    static func piece(_ s: ArraySlice<UInt8>, _ k: Int, _ separator: UInt8) -> ArraySlice<UInt8>? {
        guard k >= 0 else { return nil }
        let found: Range<Int>? = s.withUnsafeBufferPointer { b in
            var start = 0
            var part = 0
            var i = 0
            while i < b.count {
                if b[i] == separator {
                    if part == k { return start..<i }
                    part += 1
                    start = i + 1
                }
                i += 1
            }
            return part == k ? start..<b.count : nil
        }
        guard let found else { return nil }
        return s[(s.startIndex + found.lowerBound)..<(s.startIndex + found.upperBound)]
    }

    /// How many parts `s` splits into at `separator` (empty parts included).
    static func count(_ s: ArraySlice<UInt8>, _ separator: UInt8) -> Int {
        var n = 1
        for b in s where b == separator { n += 1 }
        return n
    }

    /// The unescaped bytes of field `n`, repetition `repetition` (0-based), component and
    /// subcomponent (1-based, as HL7 writes OBX-3.1); empty when absent.
    public func bytes(_ n: Int, repetition: Int = 0, component: Int = 1, subcomponent: Int = 1) -> [UInt8] {
        if isDelimiterField(n) { return Array(raw(n)) }
        guard let s = slice(n, repetition: repetition, component: component, subcomponent: subcomponent) else { return [] }
        return HL7Escape.unescape(s, encoding)
    }

    /// `bytes(…)` as text (UTF-8; invalid bytes become U+FFFD).
    public func text(_ n: Int, repetition: Int = 0, component: Int = 1, subcomponent: Int = 1) -> String {
        if !isDelimiterField(n),
           let s = slice(n, repetition: repetition, component: component, subcomponent: subcomponent),
           !s.contains(encoding.escape) {
            return String(decoding: s, as: UTF8.self)
        }
        return String(decoding: bytes(n, repetition: repetition, component: component, subcomponent: subcomponent), as: UTF8.self)
    }

    /// `text(…)` without the spaces at either end (the same text as `text(…).trimmingSpaces`,
    /// trimmed on the bytes before the string is made).
    public func trimmedText(_ n: Int, repetition: Int = 0, component: Int = 1, subcomponent: Int = 1) -> String {
        if !isDelimiterField(n),
           let s = slice(n, repetition: repetition, component: component, subcomponent: subcomponent),
           !s.contains(encoding.escape) {
            var lower = s.startIndex, upper = s.endIndex
            while lower < upper && s[lower] == 0x20 { lower += 1 }
            while upper > lower && s[upper - 1] == 0x20 { upper -= 1 }
            // A space joins a grapheme with a non-ASCII neighbour (a combining mark after it,
            // a prepended mark before it): those are left to the character-wise trim.
            let asciiEdges = lower == upper
                || (lower == s.startIndex || s[lower] < 0x80) && (upper == s.endIndex || s[upper - 1] < 0x80)
            if asciiEdges { return String(decoding: s[lower..<upper], as: UTF8.self) }
        }
        return text(n, repetition: repetition, component: component, subcomponent: subcomponent).trimmingSpaces
    }

    /// Whether every component of `components(n)` is empty or spaces, read without building
    /// the list.
    func componentsAreBlank(_ n: Int) -> Bool {
        let count: Int
        if isDelimiterField(n) {
            count = Self.count(raw(n), encoding.component)
        } else {
            count = Self.count(Self.piece(raw(n), 0, encoding.repetition) ?? [], encoding.component)
        }
        return (1...max(1, count)).allSatisfy { trimmedText(n, component: $0).isEmpty }
    }

    /// The unescaped components of field `n`, repetition `repetition` (first subcomponents).
    public func components(_ n: Int, repetition: Int = 0) -> [String] {
        let rep: ArraySlice<UInt8>
        if isDelimiterField(n) {
            guard repetition == 0 else { return [] }
            rep = raw(n)
        } else {
            guard let r = Self.piece(raw(n), repetition, encoding.repetition) else { return [] }
            rep = r
        }
        let count = Self.count(rep, encoding.component)
        return (1...max(1, count)).map { text(n, repetition: repetition, component: $0) }
    }
}
