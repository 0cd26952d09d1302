/// Why a TaiDoc record did not become a reading. Every case keeps the record's bytes with the
/// problem (never dropped, never decoded as something else).
public enum TaiDocRecordProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// d3 names an analyte pocgate does not code (haematocrit, lactate, …).
    case unsupportedAnalyte(UInt8)
    /// The time reply is not a calendar date.
    case invalidTime(hex: String)
    /// A value reply arrived without the time reply before it.
    case valueWithoutTime
    /// The device never answered the model request (0x24), so its record layout is unknown.
    case modelNotReported
    /// The profile does not list this model: its layouts are unknown.
    case modelNotListed(String)
    /// The record's type (the record-type bit of its time reply) is not one the model may send.
    case recordTypeNotAllowed(model: String, bloodPressure: Bool)
    /// A blood-pressure record whose values are not a measurement (diastolic 0 or not below
    /// systolic, mean outside diastolic..systolic).
    case bloodPressureImplausible(hex: String)
    /// A blood-pressure record the monitor marks as an average of several measurements.
    case averagedRecord
    /// A thermometer value outside the range of a body temperature (another mode, or a fault).
    case temperatureImplausible(String)

    public var description: String {
        switch self {
        case let .unsupportedAnalyte(a): return "analyte code \(a) in the value flags is not coded by pocgate (glucose 0, ketone 7, uric acid 8, cholesterol 9, haemoglobin 11 are; haematocrit 6 is not, as no public source states its scale)"
        case let .invalidTime(hex): return "record time \(hex) is not a valid date"
        case .valueWithoutTime: return "value reply without a preceding time reply"
        case .modelNotReported: return "the device did not report its model (0x24), so its record layout is unknown"
        case let .modelNotListed(m):
            return "model \(m) is not listed in the profile's taidoc.models: its record layout is unknown; add it with the layouts it sends"
        case let .recordTypeNotAllowed(m, bp):
            return "record type \(bp ? "blood pressure" : "non-blood-pressure") is not one model \(m) may send per the profile's taidoc.models"
        case let .bloodPressureImplausible(hex): return "blood-pressure values \(hex) (systolic, mean, diastolic, pulse) are not a plausible measurement"
        case .averagedRecord: return "the record is an average of several measurements, not a measurement"
        case let .temperatureImplausible(v): return "thermometer value \(v) Cel is outside the range of a body temperature"
        }
    }
}
