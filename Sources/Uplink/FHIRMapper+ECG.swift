internal import PocGateCore

/// What travels with an ECG's waveform Observation besides the leads (docs/fhir/README.md):
/// the cart's interpretive statements as components, and its filter settings and the age
/// entered as extensions.
extension FHIRMapper {
    /// LOINC 8601-7 "EKG impression": the code of each cart statement component.
    static let ekgImpressionCode = "8601-7"

    /// One component per statement: code LOINC 8601-7 (text names the SCP-ECG section),
    /// `valueString` the statement, and the `ecg-statement-status` extension saying whether a
    /// physician confirmed it.
    func ecgStatementComponents(_ context: ECGContext?) -> [JSONText] {
        guard let context else { return [] }
        var out: [JSONText] = []
        for group in context.statementGroups {
            let source = group.section == 11 ? "cart statement, universal code (SCP-ECG section 11)"
                                             : "cart statement (SCP-ECG section 8)"
            for statement in group.statements {
                out.append(.object([
                    "extension": .array([.object([
                        "url": .string(canonical.url(.ecgStatementStatus)), "valueCode": .string(group.confirmation.rawValue),
                    ])]),
                    "code": .object([
                        "coding": .array([.object(["system": .string(Self.loincSystem), "code": .string(Self.ekgImpressionCode),
                                                   "display": .string("EKG impression")])]),
                        "text": .string(source),
                    ]),
                    "valueString": .string(statement),
                ]))
            }
        }
        return out
    }

    /// The filter settings and the age entered, as extensions of the waveform Observation.
    func ecgContextExtensions(_ context: ECGContext?) -> [JSONText] {
        guard let context else { return [] }
        var out: [JSONText] = []
        func hertz(_ ext: FHIRCanonical.Extension, _ value: ExactDecimal) {
            out.append(.object(["url": .string(canonical.url(ext)), "valueQuantity": .object(Self.quantity(value: value, unit: "Hz"))]))
        }
        if let v = context.highPassCentihertz { hertz(.ecgHighPassFilter, ExactDecimal(mantissa: Int64(v), scale: 2)) }
        if let v = context.lowPassHertz { hertz(.ecgLowPassFilter, ExactDecimal(v)) }
        if let v = context.notchHertz { hertz(.ecgNotchFilter, ExactDecimal(v)) }
        if let on = context.artifactFilter {
            out.append(.object(["url": .string(canonical.url(.ecgArtifactFilter)), "valueBoolean": .bool(on)]))
        }
        if let age = context.age {
            out.append(.object(["url": .string(canonical.url(.ecgAgeEntered)),
                                "valueQuantity": .object(Self.quantity(value: ExactDecimal(age.value), unit: age.unit))]))
        }
        return out
    }
}
