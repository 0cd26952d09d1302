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

    /// The unescaped bytes of field `n`, repetition `repetition` (0-based), component and
    /// subcomponent (1-based, as HL7 writes OBX-3.1); empty when absent.
    public func bytes(_ n: Int, repetition: Int = 0, component: Int = 1, subcomponent: Int = 1) -> [UInt8] {
        if id == "MSH" && (n == 1 || n == 2) { return Array(raw(n)) }
        let reps = repetitions(n)
        guard repetition < reps.count else { return [] }
        let comps = reps[repetition].split(separator: encoding.component, omittingEmptySubsequences: false)
        guard component >= 1, component <= comps.count else { return [] }
        let subs = comps[component - 1].split(separator: encoding.subcomponent, omittingEmptySubsequences: false)
        guard subcomponent >= 1, subcomponent <= subs.count else { return [] }
        return HL7Escape.unescape(subs[subcomponent - 1], encoding)
    }

    /// `bytes(…)` as text (UTF-8; invalid bytes become U+FFFD).
    public func text(_ n: Int, repetition: Int = 0, component: Int = 1, subcomponent: Int = 1) -> String {
        String(decoding: bytes(n, repetition: repetition, component: component, subcomponent: subcomponent), as: UTF8.self)
    }

    /// The unescaped components of field `n`, repetition `repetition` (first subcomponents).
    public func components(_ n: Int, repetition: Int = 0) -> [String] {
        let reps = repetitions(n)
        guard repetition < reps.count else { return [] }
        let count = reps[repetition].split(separator: encoding.component, omittingEmptySubsequences: false).count
        return (1...max(1, count)).map { text(n, repetition: repetition, component: $0) }
    }
}
