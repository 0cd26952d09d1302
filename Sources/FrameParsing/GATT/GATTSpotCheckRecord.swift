/// One PLX Spot-Check Measurement value (characteristic 0x2A5E, indicated; Pulse Oximeter
/// Service 1.0 / GATT Specification Supplement "PLX Spot-Check Measurement"): flags (uint8:
/// bit 0 time stamp, bit 1 measurement status, bit 2 device and sensor status, bit 3 pulse
/// amplitude index, bit 4 device clock is not set), SpO2 (SFLOAT, %), PR (SFLOAT, beats per
/// minute), time stamp (Date Time), measurement status (uint16), device and sensor status
/// (uint24), pulse amplitude index (SFLOAT, %). Stored records come through the same Record
/// Access Control Point as glucose (report all: the records have no sequence number).
public struct GATTSpotCheckRecord: Sendable, Hashable {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A5E
    static let name = "PLX Spot-Check Measurement"

    /// Measurement Status bits (5 ongoing, 6 early estimate, 7 validated, 8 fully qualified,
    /// 9 from storage, 10 demonstration, 11 testing, 12 calibration ongoing, 13 unavailable,
    /// 14 questionable, 15 invalid).
    public enum MeasurementStatus {
        public static let ongoing: UInt16 = 1 << 5
        public static let earlyEstimate: UInt16 = 1 << 6
        public static let validated: UInt16 = 1 << 7
        public static let fullyQualified: UInt16 = 1 << 8
        public static let fromStorage: UInt16 = 1 << 9
        public static let demonstration: UInt16 = 1 << 10
        public static let testing: UInt16 = 1 << 11
        public static let calibrationOngoing: UInt16 = 1 << 12
        public static let unavailable: UInt16 = 1 << 13
        public static let questionable: UInt16 = 1 << 14
        public static let invalid: UInt16 = 1 << 15
        /// Not a patient's measurement: refused.
        static let refused: UInt16 = demonstration | testing | unavailable | invalid
        /// Validity in question: held for review.
        static let held: UInt16 = ongoing | earlyEstimate | calibrationOngoing | questionable
    }

    /// Device and Sensor Status bits 1–15 (0 is "extended display update ongoing", which says
    /// nothing of the value); any of them holds the value for review: equipment malfunction,
    /// signal processing irregularity, inadequate, poor, erratic or nonpulsatile signal, low
    /// perfusion, questionable pulse, signal analysis ongoing, sensor interference,
    /// unconnected, unknown, displaced, malfunctioning or disconnected sensor.
    public static let deviceStatusHeld: UInt32 = 0x00_FFFE

    public var flags: UInt8
    public var spO2SFLOAT: UInt16
    public var pulseRateSFLOAT: UInt16
    public var timeStamp: GATTDateTime?
    public var measurementStatus: UInt16?
    public var deviceAndSensorStatus: UInt32?
    public var pulseAmplitudeIndexSFLOAT: UInt16?
    /// The value as received.
    public var raw: [UInt8]

    public var spO2: IEEE11073Number { .sfloat(spO2SFLOAT) }
    public var pulseRate: IEEE11073Number { .sfloat(pulseRateSFLOAT) }
    /// Flag bit 4: the device's clock is not set, its time stamps are not real times.
    public var clockNotSet: Bool { flags & 0x10 != 0 }

    /// Decodes one value; bytes after the last announced field are ignored.
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTSpotCheckRecord {
        var r = GATTReader(bytes, characteristic: name)
        let flags = try r.u8("flags")
        let spo2 = try r.u16("SpO2")
        let pr = try r.u16("PR")
        let time = flags & 0x01 != 0 ? try r.dateTime("time stamp") : nil
        let status = flags & 0x02 != 0 ? try r.u16("measurement status") : nil
        let device = flags & 0x04 != 0 ? try r.u24("device and sensor status") : nil
        let pai = flags & 0x08 != 0 ? try r.u16("pulse amplitude index") : nil
        return GATTSpotCheckRecord(flags: flags, spO2SFLOAT: spo2, pulseRateSFLOAT: pr, timeStamp: time, measurementStatus: status,
                                   deviceAndSensorStatus: device, pulseAmplitudeIndexSFLOAT: pai, raw: bytes)
    }
}
