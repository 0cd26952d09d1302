internal import PocGateCore

/// What a reading's flags mean in FHIR: the comparator and interpretation of an off-scale
/// (HI/LO) result and the meal context. Codes and their sources: docs/CODES.md.
enum FHIRMeaning {
    static let interpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
    static let timingEventSystem = "http://terminology.hl7.org/CodeSystem/v3-TimingEvent"

    /// `Quantity.comparator` of an off-scale result: the meter showed HI because the true value
    /// is above its range (strictly greater than the limit it reports), LO because it is below.
    static func comparator(_ flags: [ReadingFlag]) -> String? {
        if flags.contains(.aboveRange) { return ">" }
        if flags.contains(.belowRange) { return "<" }
        return nil
    }

    /// `Observation.interpretation` of an off-scale result: v3 `>` "high off scale" or `<`
    /// "low off scale"; nil for an on-scale result (pocgate knows no reference range).
    /// A result outside the laboratory reference range the device reported (ASTM/HL7 abnormal
    /// flag) adds v3 `H` "High" or `L` "Low".
    static func interpretation(_ flags: [ReadingFlag]) -> JSONText? {
        var codes: [(String, String)] = []
        if flags.contains(.aboveRange) {
            codes.append((">", "Off scale high"))
        } else if flags.contains(.belowRange) {
            codes.append(("<", "Off scale low"))
        }
        if flags.contains(.abnormalHigh) {
            codes.append(("H", "High"))
        } else if flags.contains(.abnormalLow) {
            codes.append(("L", "Low"))
        }
        guard !codes.isEmpty else { return nil }
        return .array(codes.map { code in
            .object(["coding": .array([.object([
                "system": .string(interpretationSystem), "code": .string(code.0), "display": .string(code.1),
            ])])])
        })
    }

    /// The meal-context extension (v3 TimingEvent `AC` before a meal, `PC` after a meal, `HS`
    /// at bedtime); nil when the device reported none. Fasting has no TimingEvent code: it
    /// travels in `note` (and the flag text) only.
    static func mealContext(_ flags: [ReadingFlag], url: String) -> JSONText? {
        let code: (String, String)
        if flags.contains(.beforeMeal) {
            code = ("AC", "before meal")
        } else if flags.contains(.afterMeal) {
            code = ("PC", "after meal")
        } else if flags.contains(.bedtime) {
            code = ("HS", "at bedtime")
        } else {
            return nil
        }
        return .object([
            "url": .string(url),
            "valueCodeableConcept": .object([
                "coding": .array([.object(["system": .string(timingEventSystem), "code": .string(code.0)])]),
                "text": .string(code.1),
            ]),
        ])
    }
}
