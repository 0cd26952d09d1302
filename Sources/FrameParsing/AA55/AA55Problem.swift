/// Why a kiosk result did not become a reading. Each case carries the frame in hex.
public enum AA55Problem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A strip result flagged LO (1), HI (2) or the undocumented code 3: the kiosk sends no value.
    case stripOutOfRange(code: UInt8, hex: String)
    /// Strip test 03 without a BeneCheck or Lepu meter kind reported, or a test code not documented.
    case stripTestUnknown(test: UInt8, meterKind: UInt8?, hex: String)
    /// BCD digits above 9, or a unit this analyte has no documented value in (ketone in mg/dL).
    case stripValueUndecodable(hex: String)
    /// A thermometer result flagged low (1), high (2) or 3: no value.
    case temperatureOutOfRange(code: UInt8, hex: String)
    /// A thermometer value before any version reply: tenths (older board) or hundredths cannot be told.
    case temperatureScaleUnknown(hex: String)
    /// The module reported a failed blood-pressure measurement.
    case bloodPressureFailed(AA55BloodPressureError, hex: String)
    /// A systolic above 300 mmHg or a zero pressure: not a measurement (the source notes a board
    /// that sends the systolic bytes swapped).
    case bloodPressureImplausible(hex: String)

    public var description: String {
        switch self {
        case let .stripOutOfRange(code, hex):
            let what = code == 1 ? "LO (below the meter's range)" : code == 2 ? "HI (above the meter's range)" : "range code 3 (undocumented)"
            return "strip result \(what): the kiosk sends no value [\(hex)]"
        case let .stripTestUnknown(test, kind, hex):
            let k = kind.map { "meter kind \(Hex.byte($0))" } ?? "no meter kind reported"
            return "strip test code \(Hex.byte(test)) cannot be named (\(k); test 03 is cholesterol on BeneCheck, ketone on Lepu) [\(hex)]"
        case let .stripValueUndecodable(hex):
            return "strip value is not valid BCD, or not documented in this unit [\(hex)]"
        case let .temperatureOutOfRange(code, hex):
            let what = code == 1 ? "below range" : code == 2 ? "above range" : "range code 3 (undocumented)"
            return "thermometer result \(what): no value [\(hex)]"
        case let .temperatureScaleUnknown(hex):
            return "thermometer value before any version reply: tenths (older board) or hundredths cannot be told [\(hex)]"
        case let .bloodPressureFailed(error, hex):
            return "\(error) [\(hex)]"
        case let .bloodPressureImplausible(hex):
            return "blood-pressure result with a zero pressure or a systolic above 300 mmHg; not stored [\(hex)]"
        }
    }
}
