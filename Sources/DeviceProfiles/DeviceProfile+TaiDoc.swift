import FrameParsing

extension DeviceProfile {
    /// `taidoc: { models: [{ model: "3261", records: [glucose, blood-pressure] }, …] }`.
    /// Refused unless the profile's family reads the `taidoc` section.
    static func parseTaiDoc(_ t: YAMLMap, traits: FamilyTraits) throws(YAMLIssue) -> TaiDocModels {
        guard traits.profileSections.contains("taidoc") else {
            throw t.issue("models", "'taidoc' is only for protocols that read it (the TaiDoc/FORA families), not \(traits.family)")
        }
        var table: [String: Set<TaiDocLayout>] = [:]
        let names = TaiDocLayout.allCases.map(\.rawValue)
        for m in try t.maps("models") ?? [] {
            let model = try m.string("model", required: true)!
            guard model.count == 4, model.allSatisfy({ $0.isHexDigit }) else {
                throw m.issue("model", "'\(m.path).model' must be the 4 digits the device's model reply gives, e.g. \"4277\" (quoted), not '\(model)'")
            }
            guard table[model] == nil else { throw m.issue("model", "model \(model) is listed twice in 'taidoc.models'") }
            var layouts: Set<TaiDocLayout> = []
            for (text, issue) in try m.located("records") ?? [] {
                guard let layout = TaiDocLayout(rawValue: text) else {
                    throw issue("'\(m.path).records' item '\(text)' is not a record layout; use \(names.joined(separator: ", "))")
                }
                layouts.insert(layout)
            }
            guard !layouts.isEmpty else { throw m.issue("records", "'\(m.path).records' needs at least one of \(names.joined(separator: ", "))") }
            guard layouts.subtracting([.bloodPressure]).count <= 1 else {
                throw m.issue("records", "model \(model) lists more than one layout besides blood-pressure: the record-type bit tells blood pressure from one other layout only")
            }
            try m.finish()
            table[model.uppercased()] = layouts
        }
        guard !table.isEmpty else { throw t.issue("models", "'taidoc.models' needs at least one model") }
        try t.finish()
        return TaiDocModels(table)
    }
}
