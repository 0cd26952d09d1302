/// Why an Omron answer or stored measurement did not become a reading. The bytes are kept with
/// the problem (`SessionSink.rejected`), never dropped silently.
public enum OmronProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The check byte of an `OK` answer did not match: re-read; if it stays, the cable or the
    /// device is faulty.
    case badCheck(hex: String)
    /// The stored time is not a calendar time (month 13, day 0…): the record is kept as a
    /// problem; set the monitor's clock and take a new measurement.
    case invalidTime(hex: String)
    /// Systolic, diastolic or pulse cannot be a measurement (diastolic 0, or not below the
    /// systolic): the record is kept as a problem for a technician to look at.
    case implausiblePressure(hex: String)
    /// An answer pocgate did not ask for or cannot read.
    case unexpectedAnswer(hex: String)

    public var description: String {
        switch self {
        case let .badCheck(hex): return "Omron answer with a bad XOR check byte: \(hex)"
        case let .invalidTime(hex): return "Omron measurement with an impossible date or time (set the monitor's clock): \(hex)"
        case let .implausiblePressure(hex): return "Omron measurement with implausible pressures: \(hex)"
        case let .unexpectedAnswer(hex): return "Omron answer not part of a memory read: \(hex)"
        }
    }
}
