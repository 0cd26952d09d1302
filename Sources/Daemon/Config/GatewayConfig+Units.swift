package import DeviceProfiles
package import PocGateCore

package extension GatewayConfig {
    /// The configuration key of each analyte under `uplink.units`.
    static let unitKeys: [(key: String, kind: ObservationKind)] = [
        ("glucose", .glucose), ("cholesterol", .cholesterol), ("triglycerides", .triglycerides), ("uric_acid", .uricAcid),
    ]

    /// Parses `uplink.units`: per analyte its mass or molar UCUM unit, or `as-reported`.
    /// Analytes not named keep the China default (SI units).
    static func parseUnits(_ map: YAMLMap) throws(YAMLIssue) -> UnitPolicy {
        var policy = UnitPolicy.chinaDefault
        for (key, kind) in unitKeys {
            let allowed = UnitPolicy.allowedUnits(for: kind)
            guard let choice = try map.choice(key, from: allowed + ["as-reported"]) else { continue }
            policy.targets[kind] = choice == "as-reported" ? nil : choice
        }
        try map.finish()
        return policy
    }
}
