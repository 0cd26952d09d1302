public import PocGateCore

/// One Weight Measurement value (characteristic 0x2A9D, indicated; Weight Scale Service 1.0 /
/// GATT Specification Supplement "Weight Measurement"): flags (uint8: bit 0 imperial, bit 1
/// time stamp, bit 2 user ID, bit 3 BMI and height), weight (uint16: 0.005 kg, or 0.01 lb;
/// 0xFFFF measurement unsuccessful), time stamp (Date Time), user ID (uint8, 255 unknown
/// user), BMI (uint16, 0.1 kg/m²), height (uint16: 0.001 m, or 0.1 in).
public struct GATTWeightRecord: Sendable, Hashable {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A9D
    static let name = "Weight Measurement"

    public var flags: UInt8
    public var weightRaw: UInt16
    public var timeStamp: GATTDateTime?
    public var userID: UInt8?
    public var bmiRaw: UInt16?
    public var heightRaw: UInt16?
    /// The value as received.
    public var raw: [UInt8]

    /// Whether weight and height are in pounds and inches (flag bit 0).
    public var imperial: Bool { flags & 0x01 != 0 }

    /// Decodes one value; bytes after the last announced field are ignored.
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTWeightRecord {
        var r = GATTReader(bytes, characteristic: name)
        let flags = try r.u8("flags")
        let weight = try r.u16("weight")
        let time = flags & 0x02 != 0 ? try r.dateTime("time stamp") : nil
        let user = flags & 0x04 != 0 ? try r.u8("user ID") : nil
        var bmi: UInt16?, height: UInt16?
        if flags & 0x08 != 0 {
            bmi = try r.u16("BMI")
            height = try r.u16("height")
        }
        return GATTWeightRecord(flags: flags, weightRaw: weight, timeStamp: time, userID: user, bmiRaw: bmi, heightRaw: height, raw: bytes)
    }

    /// The weight in kg (raw × 0.005) or lb (raw × 0.01), exactly, with its UCUM unit.
    public var weight: (value: ExactDecimal, unit: String) {
        imperial ? (ExactDecimal(mantissa: Int64(weightRaw), scale: 2), "[lb_av]")
            : (ExactDecimal(mantissa: Int64(weightRaw) * 5, scale: 3), "kg")
    }

    /// The record key: no sequence number, so the user, the time stamp and the weight as sent.
    public var recordKey: String {
        "wss|\(userID.map(String.init) ?? "-")|\(timeStamp?.description ?? "-")|\(weightRaw)|\(imperial ? "lb" : "kg")"
    }

    /// The readings: body weight (29463-7) and, when sent, BMI (39156-5, kg/m2, raw × 0.1) and
    /// height (8302-2: raw × 0.001 m written as cm, raw × 0.1 in). A weight of 0xFFFF
    /// ("measurement unsuccessful") and a record without a usable time stamp are refused.
    public func readings(profileID: String, serial: String, model: String) -> Result<[Reading], GATTReadingProblem> {
        guard weightRaw != 0xFFFF else { return .failure(.notPatientMeasurement("the scale reports the measurement unsuccessful")) }
        guard let stamp = timeStamp else { return .failure(.noTime("the scale sent no time stamp")) }
        guard let time = stamp.localDateTime else { return .failure(.noTime("time stamp \(stamp)")) }
        func reading(_ kind: ObservationKind, _ code: String, _ v: ExactDecimal, _ unit: String, _ suffix: String) -> Reading {
            Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey + suffix, kind: kind,
                    code: code, value: v, unit: unit, deviceTime: time, flags: [], raw: raw)
        }
        let w = weight
        var out = [reading(.bodyWeight, "29463-7", w.value, w.unit, "")]
        if let bmiRaw, bmiRaw != 0 {
            out.append(reading(.bmi, "39156-5", ExactDecimal(mantissa: Int64(bmiRaw), scale: 1), "kg/m2", "|bmi"))
        }
        if let heightRaw, heightRaw != 0 {
            // 0.001 m is 0.1 cm; imperial 0.1 in.
            out.append(reading(.bodyHeight, "8302-2", ExactDecimal(mantissa: Int64(heightRaw), scale: 1),
                               imperial ? "[in_i]" : "cm", "|height"))
        }
        return .success(out)
    }
}
