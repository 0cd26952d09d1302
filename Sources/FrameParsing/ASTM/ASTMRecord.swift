/// One E1394 (CLSI LIS02) record: a type letter and fields, each field a list of repeats, each
/// repeat a list of components, each component unescaped text.
///
/// Fields are numbered from 1 as in the standard (field 1 is the record type, so a result's
/// value is field 4). In a header, field 2 is the delimiter declaration itself and is kept raw.
public struct ASTMRecord: Sendable, Equatable {
    /// `H`, `P`, `O`, `R`, `C`, `M`, `L`, … (the first byte of the record).
    public var type: UInt8
    /// Field 1 … n: repeats → components → unescaped bytes.
    public var fields: [[[[UInt8]]]]
    /// Each field's text as received (escapes and delimiters included).
    public var rawFields: [ArraySlice<UInt8>]
    /// The record as received, without its CR.
    public var raw: [UInt8]

    /// Splits `text` with `delimiters` (for a header, the ones it declares).
    public init(_ text: [UInt8], delimiters: ASTMDelimiters) {
        raw = text
        let type = text.first ?? 0
        self.type = type
        let raws = Self.rawFields(of: text, delimiters: delimiters)
        rawFields = raws
        let isHeader = type == UInt8(ascii: "H")
        fields = raws.enumerated().map { index, field in
            if isHeader && index == 1 { return [[Array(field)]] }
            return Self.repeats(of: field, delimiters: delimiters)
        }
    }

    /// Each field of `text` as received, split at the field delimiter; in a header, field 2 is
    /// the delimiter declaration (the three bytes after `H` and the field delimiter).
    static func rawFields(of text: [UInt8], delimiters: ASTMDelimiters) -> [ArraySlice<UInt8>] {
        guard text.first == UInt8(ascii: "H"), text.count >= 5 else {
            return text.split(separator: delimiters.field, omittingEmptySubsequences: false)
        }
        var raws = [text[0..<1], text[2..<5]]
        if text.count > 5 {
            let rest = text[5] == delimiters.field ? text[6...] : text[5...]
            raws += rest.split(separator: delimiters.field, omittingEmptySubsequences: false)
        }
        return raws
    }

    /// One raw field (not a header's field 2) as its repeats, each a list of unescaped
    /// components: what `repeats(_:)` answers, for a field found without splitting the record.
    static func repeats(of field: ArraySlice<UInt8>, delimiters: ASTMDelimiters) -> [[[UInt8]]] {
        field.split(separator: delimiters.repeat, omittingEmptySubsequences: false).map { rep in
            rep.split(separator: delimiters.component, omittingEmptySubsequences: false).map { delimiters.unescape($0) }
        }
    }

    /// One raw field split on the component delimiter only, unescaped: what
    /// `componentsIgnoringRepeats(_:delimiters:)` answers, for a field found without splitting
    /// the record.
    static func componentsIgnoringRepeats(of field: ArraySlice<UInt8>, delimiters: ASTMDelimiters) -> [String] {
        field.split(separator: delimiters.component, omittingEmptySubsequences: false)
            .map { String(decoding: delimiters.unescape($0), as: UTF8.self) }
    }

    /// Component `component` (from 1) of repeat `repeat` (from 0) of field `field` (from 1), as
    /// text; empty when absent.
    public func text(_ field: Int, repeat: Int = 0, component: Int = 1) -> String {
        String(decoding: bytes(field, repeat: `repeat`, component: component), as: UTF8.self)
    }

    /// The bytes of one component; empty when absent.
    public func bytes(_ field: Int, repeat: Int = 0, component: Int = 1) -> [UInt8] {
        guard field >= 1, field <= fields.count else { return [] }
        let reps = fields[field - 1]
        guard `repeat` >= 0, `repeat` < reps.count else { return [] }
        let comps = reps[`repeat`]
        guard component >= 1, component <= comps.count else { return [] }
        return comps[component - 1]
    }

    /// The repeats of a field (each a list of components).
    public func repeats(_ field: Int) -> [[[UInt8]]] {
        guard field >= 1, field <= fields.count else { return [] }
        return fields[field - 1]
    }

    /// The components of a field split on the component delimiter only (repeat delimiters
    /// inside are kept), unescaped: how a header's sender field reads when its version part
    /// holds the repeat character (`Bayer7390^01.24\01.04\09.02.20^serial^SKU`).
    public func componentsIgnoringRepeats(_ field: Int, delimiters: ASTMDelimiters) -> [String] {
        guard field >= 1, field <= rawFields.count else { return [] }
        return Self.componentsIgnoringRepeats(of: rawFields[field - 1], delimiters: delimiters)
    }
}
