/// One segment: its id and its fields, numbered as HL7 numbers them (`field(1)` is OBX-1).
/// For MSH, field 1 is the field separator and field 2 the encoding characters, so MSH-n is
/// `field(n)` there too.
public struct HL7Segment: Sendable, Equatable {
    /// `MSH`, `PID`, `OBR`, `OBX`, …
    public var id: String
    /// Field bytes as received (escapes intact); index 0 is the segment id.
    public var fields: [ArraySlice<UInt8>]
    /// The message's delimiters.
    public var encoding: HL7Encoding
    /// The whole segment as received, without its CR.
    public var line: ArraySlice<UInt8>

    init(_ line: ArraySlice<UInt8>, _ enc: HL7Encoding) {
        var parts = line.split(separator: enc.field, omittingEmptySubsequences: false)
        id = String(decoding: parts.first ?? [], as: UTF8.self)
        if id == "MSH", parts.count >= 2 {
            let sep = line.index(line.startIndex, offsetBy: 3)
            parts.insert(line[sep...sep], at: 1)
        }
        fields = parts
        encoding = enc
        self.line = line
    }

    /// How many fields the segment carries (the highest field number present).
    public var fieldCount: Int { fields.count - 1 }

    /// The raw bytes of field `n` (all repetitions), empty when absent.
    public func raw(_ n: Int) -> ArraySlice<UInt8> {
        n >= 0 && n < fields.count ? fields[n] : []
    }

    /// The repetitions of field `n` (one, possibly empty, when the field is present).
    public func repetitions(_ n: Int) -> [ArraySlice<UInt8>] {
        if id == "MSH" && (n == 1 || n == 2) { return [raw(n)] }
        return raw(n).split(separator: encoding.repetition, omittingEmptySubsequences: false)
    }

    /// How many repetitions `repetitions(n)` holds, counted without splitting.
    public func repetitionCount(_ n: Int) -> Int {
        if id == "MSH" && (n == 1 || n == 2) { return 1 }
        return Self.count(raw(n), encoding.repetition)
    }

    /// The bytes of field `n`, repetition `repetition`, component, subcomponent as received
    /// (escapes intact), found by scanning the field once; nil when absent.
    func slice(_ n: Int, repetition: Int, component: Int, subcomponent: Int) -> ArraySlice<UInt8>? {
        guard let rep = Self.piece(raw(n), repetition, encoding.repetition),
              let comp = Self.piece(rep, component - 1, encoding.component) else { return nil }
        return Self.piece(comp, subcomponent - 1, encoding.subcomponent)
    }

    /// The `k`-th (from 0) part of `s` between `separator`s, or nil when there are fewer.
    static func piece(_ s: ArraySlice<UInt8>, _ k: Int, _ separator: UInt8) -> ArraySlice<UInt8>? {
        guard k >= 0 else { return nil }
        var start = s.startIndex
        var i = 0
        while i < k {
            guard let next = s[start...].firstIndex(of: separator) else { return nil }
            start = next + 1
            i += 1
        }
        return s[start..<(s[start...].firstIndex(of: separator) ?? s.endIndex)]
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
        if id == "MSH" && (n == 1 || n == 2) { return Array(raw(n)) }
        guard let s = slice(n, repetition: repetition, component: component, subcomponent: subcomponent) else { return [] }
        return HL7Escape.unescape(s, encoding)
    }

    /// `bytes(…)` as text (UTF-8; invalid bytes become U+FFFD).
    public func text(_ n: Int, repetition: Int = 0, component: Int = 1, subcomponent: Int = 1) -> String {
        if !(id == "MSH" && (n == 1 || n == 2)),
           let s = slice(n, repetition: repetition, component: component, subcomponent: subcomponent),
           !s.contains(encoding.escape) {
            return String(decoding: s, as: UTF8.self)
        }
        return String(decoding: bytes(n, repetition: repetition, component: component, subcomponent: subcomponent), as: UTF8.self)
    }

    /// Whether every component of `components(n)` is empty or spaces, read without building
    /// the list.
    func componentsAreBlank(_ n: Int) -> Bool {
        let count: Int
        if id == "MSH" && (n == 1 || n == 2) {
            count = Self.count(raw(n), encoding.component)
        } else {
            count = Self.count(Self.piece(raw(n), 0, encoding.repetition) ?? [], encoding.component)
        }
        return (1...max(1, count)).allSatisfy { text(n, component: $0).trimmingSpaces.isEmpty }
    }

    /// The unescaped components of field `n`, repetition `repetition` (first subcomponents).
    public func components(_ n: Int, repetition: Int = 0) -> [String] {
        let rep: ArraySlice<UInt8>
        if id == "MSH" && (n == 1 || n == 2) {
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
