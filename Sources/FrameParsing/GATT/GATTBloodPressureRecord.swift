/// One Blood Pressure Measurement value (characteristic 0x2A35, indicated; Blood Pressure
/// Service 1.0 / GATT Specification Supplement "Blood Pressure Measurement"): flags (uint8:
/// bit 0 kPa, bit 1 time stamp, bit 2 pulse rate, bit 3 user ID, bit 4 measurement status),
/// systolic, diastolic and mean arterial pressure (SFLOAT each), time stamp (Date Time),
/// pulse rate (SFLOAT, beats per minute), user ID (uint8, 255 unknown user), measurement
/// status (uint16). Intermediate Cuff Pressure (0x2A36) shares the layout and is never read:
/// it is the cuff during inflation, not a result.
public struct GATTBloodPressureRecord: Sendable, Hashable {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A35
    /// Intermediate Cuff Pressure: not decoded, not subscribed.
    public static let intermediateCuffPressureUUID: UInt16 = 0x2A36
    static let name = "Blood Pressure Measurement"

    /// The Measurement Status bits.
    public struct Status: Sendable, Hashable {
        public var raw: UInt16
        /// Bit 0: body movement during the measurement.
        public var bodyMovement: Bool { raw & 0x0001 != 0 }
        /// Bit 1: cuff too loose.
        public var cuffTooLoose: Bool { raw & 0x0002 != 0 }
        /// Bit 2: irregular pulse detected.
        public var irregularPulse: Bool { raw & 0x0004 != 0 }
        /// Bits 3–4: 0 pulse rate within range, 1 above the upper limit, 2 below the lower
        /// limit, 3 reserved.
        public var pulseRateRange: UInt8 { UInt8(raw >> 3 & 0x3) }
        /// Bit 5: improper measurement position.
        public var improperPosition: Bool { raw & 0x0020 != 0 }
    }

    public var flags: UInt8
    /// Systolic, diastolic, mean arterial pressure as the SFLOATs sent.
    public var systolicSFLOAT: UInt16
    public var diastolicSFLOAT: UInt16
    public var meanArterialSFLOAT: UInt16
    public var timeStamp: GATTDateTime?
    public var pulseRateSFLOAT: UInt16?
    public var userID: UInt8?
    public var status: Status?
    /// The value as received.
    public var raw: [UInt8]

    /// Whether the pressures are in kPa (flag bit 0) rather than mmHg.
    public var inKilopascal: Bool { flags & 0x01 != 0 }
    public var systolic: IEEE11073Number { .sfloat(systolicSFLOAT) }
    public var diastolic: IEEE11073Number { .sfloat(diastolicSFLOAT) }
    /// NaN (0x07FF) when the monitor did not measure it: "not measured", never 2047.
    public var meanArterial: IEEE11073Number { .sfloat(meanArterialSFLOAT) }
    public var pulseRate: IEEE11073Number? { pulseRateSFLOAT.map { .sfloat($0) } }

    /// Decodes one value; bytes after the last announced field are ignored.
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTBloodPressureRecord {
        var r = GATTReader(bytes, characteristic: name)
        let flags = try r.u8("flags")
        let sys = try r.u16("systolic")
        let dia = try r.u16("diastolic")
        let map = try r.u16("mean arterial pressure")
        let time = flags & 0x02 != 0 ? try r.dateTime("time stamp") : nil
        let pulse = flags & 0x04 != 0 ? try r.u16("pulse rate") : nil
        let user = flags & 0x08 != 0 ? try r.u8("user ID") : nil
        let status = flags & 0x10 != 0 ? Status(raw: try r.u16("measurement status")) : nil
        return GATTBloodPressureRecord(flags: flags, systolicSFLOAT: sys, diastolicSFLOAT: dia, meanArterialSFLOAT: map,
                                       timeStamp: time, pulseRateSFLOAT: pulse, userID: user, status: status, raw: bytes)
    }
}
