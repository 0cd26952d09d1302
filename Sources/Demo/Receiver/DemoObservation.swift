import Daemon
import Emulators
/// One Observation the demo receiver accepted, reduced to what a person wants to see.
///
/// Each field is taken from the FHIR JSON as sent; nil when the Observation did not carry it.
public struct DemoObservation: Sendable, Hashable {
    /// The code, preferring the LOINC coding, e.g. `41653-7`.
    public var code: String?
    /// The code's display text (or `code.text`).
    public var display: String?
    /// The value as written in the JSON, e.g. `120` or `5.6`.
    public var value: String?
    /// The UCUM unit, e.g. `mg/dL`.
    public var unit: String?
    /// `effectiveDateTime` (or `effectiveInstant`, or the period's start), e.g. `2024-06-15T08:30:00+08:00`.
    public var effective: String?
    /// The first identifier's value: the reading's stable identity.
    public var identifier: String?
    /// The measuring device's serial, from the Observation's device reference where present.
    public var deviceSerial: String?
    /// The texts of `Observation.note`, in order.
    public var notes: [String]

    /// An observation with the given fields; all are optional.
    public init(code: String? = nil, display: String? = nil, value: String? = nil, unit: String? = nil,
                effective: String? = nil, identifier: String? = nil, deviceSerial: String? = nil,
                notes: [String] = []) {
        self.code = code
        self.display = display
        self.value = value
        self.unit = unit
        self.effective = effective
        self.identifier = identifier
        self.deviceSerial = deviceSerial
        self.notes = notes
    }
}
