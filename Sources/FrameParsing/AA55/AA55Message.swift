/// What a kiosk→host `AA 55` frame says, for the tokens pocgate decodes. Byte positions are
/// counted in the frame body: body[0] is the type byte, body[1] the first data byte.
public enum AA55Message: Sendable, Equatable {
    /// Token FF type 02: hardware and software version (packed BCD). A body of exactly three
    /// bytes (length byte 4, no UUID) marks an older board whose thermometer sends tenths.
    case version(hardware: UInt8, software: UInt8, olderBoard: Bool)
    /// Token 42: live cuff pressure while the cuff inflates (mmHg). Not a reading.
    case cuffPressure(Int)
    /// Token 43 type 01: a finished blood-pressure measurement.
    case bloodPressure(AA55BloodPressure)
    /// Token 43 type 02: the measurement failed with this code (low four bits).
    case bloodPressureError(AA55BloodPressureError)
    /// Token 52: live plethysmogram samples. Not a reading.
    case spo2Wave
    /// Token 53: the oximeter's current parameters (sent continuously while a finger is in).
    case spo2Parameters(AA55SpO2Parameters)
    /// Token 54: the oximeter's state (00 measurement over, 01 measuring, FF fault).
    case spo2State(UInt8)
    /// Token 74: a thermometer result.
    case temperature(AA55Temperature)
    /// Token E0: which strip meter is fitted (low four bits of the first data byte).
    case stripMeterKind(UInt8)
    /// Token E2: a strip-meter result (glucose, uric acid, cholesterol or ketone).
    case stripResult(AA55StripResult)
    /// Any other token or type, or a body too short for its message (kept for the log).
    case other(token: UInt8, type: UInt8)

    /// Classifies a frame.
    public init(_ f: AA55Frame) {
        let b = f.body
        switch f.token {
        case 0xFF where f.type == 0x02 && b.count >= 3:
            self = .version(hardware: b[1], software: b[2], olderBoard: b.count == 3)
        case 0x42 where b.count >= 3:
            self = .cuffPressure(Int(b[1] & 0x0F) << 8 | Int(b[2]))
        case 0x43 where f.type == 0x01 && b.count >= 6:
            self = .bloodPressure(AA55BloodPressure(b))
        case 0x43 where f.type == 0x02 && b.count >= 2:
            self = .bloodPressureError(AA55BloodPressureError(code: b[1] & 0x0F))
        case 0x52:
            self = .spo2Wave
        case 0x53 where b.count >= 6:
            self = .spo2Parameters(AA55SpO2Parameters(b))
        case 0x54 where b.count >= 2:
            self = .spo2State(b[1])
        case 0x74 where b.count >= 4:
            self = .temperature(AA55Temperature(b))
        case 0xE0 where b.count >= 2:
            self = .stripMeterKind(b[1] & 0x0F)
        case 0xE2 where b.count >= 4:
            self = .stripResult(AA55StripResult(b))
        default:
            self = .other(token: f.token, type: f.type)
        }
    }
}
