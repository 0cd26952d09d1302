public import PocGateCore

/// One Glucose Measurement value (characteristic 0x2A18; Glucose Service 1.0 / GATT
/// Specification Supplement "Glucose Measurement"):
/// flags (uint8), sequence number (uint16), base time (Date Time), time offset (sint16
/// minutes, flag bit 0), concentration (SFLOAT in kg/L, or mol/L with flag bit 2) with the
/// type-sample location byte (flag bit 1), sensor status annunciation (uint16, flag bit 3);
/// flag bit 4 says a Glucose Measurement Context with the same sequence number follows.
public struct GATTGlucoseRecord: Sendable, Hashable {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A18
    static let name = "Glucose Measurement"

    /// The concentration, its unit and what it was measured in.
    public struct Concentration: Sendable, Hashable {
        /// The SFLOAT as sent.
        public var rawSFLOAT: UInt16
        /// true: mol/L (flag bit 2 set); false: kg/L.
        public var molar: Bool
        /// The fluid type: the type-sample location byte's low nibble.
        public var type: UInt8
        /// The sample location: the byte's high nibble.
        public var sampleLocation: UInt8

        /// The concentration in the characteristic's unit (kg/L or mol/L).
        public var value: IEEE11073Number { .sfloat(rawSFLOAT) }
        /// The concentration in mg/dL (kg/L × 100 000) or mmol/L (mol/L × 1 000), exactly.
        public var meterValue: IEEE11073Number { .sfloat(rawSFLOAT, shiftedBy: molar ? 3 : 5) }
        /// The UCUM unit of `meterValue`.
        public var meterUnit: String { molar ? "mmol/L" : "mg/dL" }
    }

    public var flags: UInt8
    public var sequenceNumber: UInt16
    public var baseTime: GATTDateTime
    /// Minutes to add to the base time for the user-facing time (flag bit 0).
    public var timeOffsetMinutes: Int16?
    /// Flag bit 1.
    public var concentration: Concentration?
    /// Flag bit 3 (`SensorStatus` names its bits).
    public var sensorStatus: UInt16?
    /// The value as received.
    public var raw: [UInt8]

    /// Whether a Glucose Measurement Context with this sequence number follows (flag bit 4).
    public var contextFollows: Bool { flags & 0x10 != 0 }

    /// The sequence number of a Glucose Measurement value (the u16 after the flags), read even
    /// when the rest of the value does not decode; nil when the value is shorter than that.
    public static func sequenceNumber(in bytes: [UInt8]) -> UInt16? {
        var r = GATTReader(bytes, characteristic: name)
        do throws(GATTDecodeError) {
            _ = try r.u8("flags")
            return try r.u16("sequence number")
        } catch {
            return nil
        }
    }

    /// Decodes one value. Bytes after the last field the flags announce are ignored (later
    /// revisions of a specification append fields).
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTGlucoseRecord {
        var r = GATTReader(bytes, characteristic: name)
        let flags = try r.u8("flags")
        let sequence = try r.u16("sequence number")
        let base = try r.dateTime("base time")
        let offset = flags & 0x01 != 0 ? try r.s16("time offset") : nil
        var concentration: Concentration?
        if flags & 0x02 != 0 {
            let sfloat = try r.u16("glucose concentration")
            let typeLocation = try r.u8("type-sample location")
            concentration = Concentration(rawSFLOAT: sfloat, molar: flags & 0x04 != 0, type: typeLocation & 0x0F,
                                          sampleLocation: typeLocation >> 4)
        }
        let status = flags & 0x08 != 0 ? try r.u16("sensor status annunciation") : nil
        return GATTGlucoseRecord(flags: flags, sequenceNumber: sequence, baseTime: base, timeOffsetMinutes: offset,
                                 concentration: concentration, sensorStatus: status, raw: bytes)
    }

    /// The user-facing time: base time plus time offset; nil when the base time is not known.
    public var userFacingTime: LocalDateTime? {
        guard let base = baseTime.localDateTime else { return nil }
        guard let offset = timeOffsetMinutes, offset != 0 else { return base }
        return LocalDateTime(secondsSinceEpoch: base.secondsSinceEpoch + Int64(offset) * 60)
    }
}
