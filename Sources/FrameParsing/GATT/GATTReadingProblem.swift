/// Why a decoded GATT measurement did not become a reading. The value's bytes stay with the
/// problem, so nothing the device sent is lost; each message says what the device reported.
public enum GATTReadingProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The measurement carries no value (a glucose record without its concentration field).
    case noValue(String)
    /// The value is a special value (NaN, NRes, ±INF, reserved) or beyond exact storage.
    case notAReading(what: String, IEEE11073Number)
    /// No time stamp, or one with an unknown year, month or day, or not a calendar date.
    case noTime(String)
    /// The unit cannot be coded for upload (blood pressure in kPa).
    case unsupportedUnit(String)
    /// The glucose sample type pocgate does not code (interstitial fluid, a reserved type).
    case unsupportedSampleType(UInt8)
    /// The context's sequence number is not the measurement's.
    case contextMismatch(measurement: UInt16, context: UInt16)
    /// The device says its clock is not set: its time stamps are not real times.
    case clockNotSet
    /// The device marks the data as not from a patient (demonstration, testing) or not a
    /// measurement (unavailable, invalid, unsuccessful).
    case notPatientMeasurement(String)

    public var description: String {
        switch self {
        case let .noValue(what): return "\(what): the device sent no value"
        case let .notAReading(what, n): return "\(what) is \(n): not a reading"
        case let .noTime(why): return "no usable time stamp: \(why)"
        case let .unsupportedUnit(unit): return "unit \(unit) cannot be coded for upload (the vital-signs profile wants mm[Hg])"
        case let .unsupportedSampleType(t):
            return "glucose sample type \(t) (\(GATTGlucoseRecord.SampleType(rawValue: t)?.description ?? "reserved")) is not coded by pocgate"
        case let .contextMismatch(m, c): return "context sequence number \(c) does not belong to measurement \(m)"
        case .clockNotSet: return "the device reports its clock is not set: set the device clock, then read again"
        case let .notPatientMeasurement(why): return "not a patient measurement: \(why)"
        }
    }
}
