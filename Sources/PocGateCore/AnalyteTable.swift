/// Device analyte codes → LOINC + UCUM, with a physiological plausibility range per unit:
/// loaded from the analyte tables a profile names (`analytes:` in the profile, files
/// `*.analytes.yaml`; docs/PROFILES.md "Analyte tables"), so a technician adds an analyte
/// without recompiling.
public struct AnalyteTable: Sendable, Equatable {
    /// One unit an analyte is reported in, with its LOINC code and plausible range.
    public struct UnitCoding: Sendable, Equatable {
        /// UCUM code, e.g. `mmol/L`.
        public var ucum: String
        /// LOINC code of the analyte in this unit.
        public var loinc: String
        /// LOINC long common name.
        public var display: String
        /// The physiological range: a value outside it is held (`implausible-value`).
        public var plausible: ClosedRange<ExactDecimal>

        public init(ucum: String, loinc: String, display: String, plausible: ClosedRange<ExactDecimal>) {
            self.ucum = ucum
            self.loinc = loinc
            self.display = display
            self.plausible = plausible
        }
    }

    /// One analyte: the names devices give it and its codings per unit.
    public struct Analyte: Sendable, Equatable {
        /// Stable id, e.g. `hba1c`.
        public var id: String
        /// The kind readings of it are stored as: a built-in kind (glucose, a vital sign…) or
        /// `.laboratory`.
        public var kind: ObservationKind
        /// Device test names and codes (ASTM universal test id parts), compared normalised
        /// (case, spaces, `-`, `_` ignored).
        public var names: [String]
        /// The units it can be reported in.
        public var units: [UnitCoding]

        public init(id: String, kind: ObservationKind, names: [String], units: [UnitCoding]) {
            self.id = id
            self.kind = kind
            self.names = names
            self.units = units
        }
    }

    /// The ids of the tables merged into this one, in order.
    public var ids: [String]
    /// The analytes, later tables' entries first replaced by id.
    public var analytes: [Analyte]
    /// Unit texts as devices write them (normalised) → UCUM.
    public var unitTexts: [String: String]

    public init(ids: [String], analytes: [Analyte], unitTexts: [String: String]) {
        self.ids = ids
        self.analytes = analytes
        self.unitTexts = unitTexts
    }

    /// No analyte at all.
    public static let empty = AnalyteTable(ids: [], analytes: [], unitTexts: [:])

    /// `self` extended by `other`: an analyte of `other` with an id already here replaces it,
    /// a new one is added; unit texts are merged the same way.
    public func merged(with other: AnalyteTable) -> AnalyteTable {
        var out = self
        out.ids += other.ids
        for a in other.analytes {
            if let i = out.analytes.firstIndex(where: { $0.id == a.id }) { out.analytes[i] = a } else { out.analytes.append(a) }
        }
        out.unitTexts.merge(other.unitTexts) { _, new in new }
        return out
    }

    /// The analyte a device test name stands for (normalised comparison), or nil.
    public func analyte(named name: String) -> Analyte? {
        let key = Self.normalised(name)
        guard !key.isEmpty else { return nil }
        return analytes.last { $0.names.contains { Self.normalised($0) == key } }
    }

    /// The UCUM unit of a unit text (a UCUM code of the table as is, or a listed spelling), or nil.
    public func ucum(_ text: String) -> String? {
        let trimmed = String(text.filter { $0 != " " })
        for a in analytes { for u in a.units where u.ucum == trimmed { return u.ucum } }
        let key = Self.normalised(text.map { $0 == "µ" || $0 == "μ" ? "u" : $0 }.reduce(into: "") { $0.append($1) })
        return unitTexts[key]
    }

    /// The analyte and unit coding that LOINC `code` names, or nil.
    public func coding(loinc code: String) -> (analyte: Analyte, unit: UnitCoding)? {
        for a in analytes.reversed() { if let u = a.units.first(where: { $0.loinc == code }) { return (a, u) } }
        return nil
    }

    /// The plausible range for a value of `kind` in `unit` coded `code`: the entry with that
    /// LOINC code and unit, else the first entry of that kind in that unit.
    public func plausibleRange(kind: ObservationKind, code: String, unit: String) -> ClosedRange<ExactDecimal>? {
        if let c = coding(loinc: code), c.unit.ucum == unit { return c.unit.plausible }
        for a in analytes where a.kind == kind { if let u = a.units.first(where: { $0.ucum == unit }) { return u.plausible } }
        return nil
    }

    /// `implausible-value` when `reading`'s value (or one of its panel components) is outside
    /// its analyte's plausible range; nil when inside or when the table has no range for it.
    /// A bound (HI/LO) is judged by its limit, like a value.
    public func valueHold(_ reading: Reading) -> ValueHold? {
        let parts: [(ObservationKind, String, ExactDecimal, String)] = reading.components.isEmpty
            ? [(reading.kind, reading.code, reading.value, reading.unit)]
            : reading.components.map { ($0.kind, $0.code, $0.value, $0.unit) }
        for (kind, code, value, unit) in parts {
            if let range = plausibleRange(kind: kind, code: code, unit: unit), !range.contains(value) { return .implausibleValue }
        }
        return nil
    }

    /// Lower-cased, without spaces, `-` and `_`.
    public static func normalised(_ s: String) -> String {
        String(s.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" })
    }
}
