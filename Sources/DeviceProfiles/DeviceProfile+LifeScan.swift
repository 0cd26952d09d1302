import FrameParsing

extension DeviceProfile {
    /// `lifescan: { meter: verio-iq }`: which LifeScan meter the live session talks to.
    /// Refused unless the profile's family reads the `lifescan` section.
    static func parseLifeScan(_ l: YAMLMap, traits: FamilyTraits) throws(YAMLIssue) -> LifeScanMeter {
        guard traits.profileSections.contains("lifescan") else {
            throw l.issue("meter", "'lifescan' is only for protocols that read it (lifescan-binary), not \(traits.family)")
        }
        let names = LifeScanMeter.allCases.map(\.rawValue)
        guard let name = try l.choice("meter", from: names), let meter = LifeScanMeter(rawValue: name) else {
            throw l.issue("meter", "'lifescan.meter' is required: one of \(names.joined(separator: ", "))")
        }
        try l.finish()
        return meter
    }
}
