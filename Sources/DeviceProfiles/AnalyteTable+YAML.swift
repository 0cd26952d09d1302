public import PocGateCore

extension AnalyteTable {
    /// The file-name ending of an analyte table in a profile directory (not a profile).
    public static let fileSuffix = ".analytes.yaml"
    /// The most analytes one table may define, and names/units one analyte may list.
    public static let maxAnalytes = 500, maxNames = 64, maxUnits = 8

    /// Parses one analyte table file (docs/PROFILES.md "Analyte tables"). Every problem is a
    /// `YAMLIssue` with file:line:column.
    public static func parse(_ text: String, file: String) throws(YAMLIssue) -> AnalyteTable {
        let top = try YAMLMap.parse(text, file: file)
        let id = try top.string("table", required: true)!
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw top.issue("table", "'table' may contain only ASCII letters, digits, '-' and '_'")
        }
        _ = try top.int("version", in: 1...1_000_000, required: true)
        var unitTexts: [String: String] = [:]
        if let texts = try top.map("unit_texts") {
            for key in texts.keys {
                let ucum = try texts.string(key, required: true)!
                unitTexts[AnalyteTable.normalised(key.map { $0 == "µ" || $0 == "μ" ? "u" : $0 }.reduce(into: "") { $0.append($1) })] = ucum
            }
            try texts.finish()
        }
        let entries = try top.maps("analytes") ?? []
        guard entries.count <= maxAnalytes else { throw top.issue("analytes", "more than \(maxAnalytes) analytes in one table; split it") }
        var analytes: [Analyte] = []
        for entry in entries {
            let analyte = try parseAnalyte(entry)
            if analytes.contains(where: { $0.id == analyte.id }) {
                throw entry.issue("id", "analyte id '\(analyte.id)' appears twice in this table; keep one")
            }
            analytes.append(analyte)
        }
        try top.finish()
        return AnalyteTable(ids: [id], analytes: analytes, unitTexts: unitTexts)
    }

    private static func parseAnalyte(_ m: YAMLMap) throws(YAMLIssue) -> Analyte {
        let id = try m.string("id", required: true)!
        let kindName = try m.choice("kind", from: ObservationKind.allCases.map(\.rawValue)) ?? ObservationKind.laboratory.rawValue
        let kind = ObservationKind(rawValue: kindName) ?? .laboratory
        let names = try m.strings("names") ?? []
        guard names.count <= maxNames else { throw m.issue("names", "more than \(maxNames) names for one analyte") }
        guard let unitMaps = try m.maps("units"), !unitMaps.isEmpty else {
            throw m.issue("units", "analyte '\(id)' needs at least one entry under 'units' (ucum, loinc, display, plausible)")
        }
        guard unitMaps.count <= maxUnits else { throw m.issue("units", "more than \(maxUnits) units for one analyte") }
        var units: [UnitCoding] = []
        for u in unitMaps {
            let ucum = try u.string("ucum", required: true)!
            let loinc = try u.string("loinc", required: true)!
            guard Self.isLOINCShape(loinc) else {
                throw u.issue("loinc", "'\(loinc)' is not a LOINC code (digits, '-', one check digit, e.g. 4548-4)")
            }
            let display = try u.string("display", required: true)!
            let bounds = try u.strings("plausible", required: true)!
            guard bounds.count == 2, let low = ExactDecimal(parsing: bounds[0]), let high = ExactDecimal(parsing: bounds[1]), low <= high else {
                throw u.issue("plausible", "'plausible' must be [low, high], two decimal numbers with low <= high, in \(ucum)")
            }
            try u.finish()
            units.append(UnitCoding(ucum: ucum, loinc: loinc, display: display, plausible: low...high))
        }
        try m.finish()
        return Analyte(id: id, kind: kind, names: names, units: units)
    }

    /// `NNNN-N`: 1 to 7 digits, a dash, one check digit.
    static func isLOINCShape(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && (1...7).contains(parts[0].count) && parts[1].count == 1
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
