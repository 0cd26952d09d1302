/// One part of a panel measured together, e.g. the systolic value of a blood-pressure reading.
/// Uploaded as an `Observation.component`.
public struct ReadingComponent: Sendable, Hashable, Codable {
    /// What the part measures.
    public var kind: ObservationKind
    /// LOINC code.
    public var code: String
    /// The value exactly as the device reported it.
    public var value: ExactDecimal
    /// UCUM unit of `value`.
    public var unit: String

    /// A component coded from `kind`'s table; the LOINC code is looked up for `unit`
    /// (empty when the pair is not coded, which `FHIR` mapping refuses).
    public init(kind: ObservationKind, value: ExactDecimal, unit: String) {
        self.init(kind: kind, code: kind.loincCode(unit: unit) ?? "", value: value, unit: unit)
    }

    public init(kind: ObservationKind, code: String, value: ExactDecimal, unit: String) {
        self.kind = kind
        self.code = code
        self.value = value
        self.unit = unit
    }
}
