/// The standard configurations pocgate accepts without a configuration report. Ids and
/// layouts from the public device specialisations (see docs/protocols/ieee11073.md for the
/// source of each and what is unverified).
public enum IEEE11073StandardConfigurations {
    typealias N = IEEE11073Nomenclature

    /// Pulse oximeter 0x0190 (and 0x0191, same objects): SpO2 (handle 1) and pulse rate
    /// (handle 10), SFLOAT values without a time stamp in the fixed report. Handle 10 and the
    /// layout are unverified (the source marks the handle as to be checked).
    public static let pulseOximeter = IEEE11073Configuration(id: 0x0190, objects: [
        .init(handle: 1, typeCode: N.oximetrySaturation, unitCode: 544, valueMap: [(N.attrNuValObsBasic, 2)]),
        .init(handle: 10, typeCode: N.oximetryPulseRate, unitCode: 2720, valueMap: [(N.attrNuValObsBasic, 2)]),
    ])

    /// Blood-pressure monitor 0x02BC: compound sys/dia/mean (handle 1, three SFLOATs and a
    /// time stamp) and pulse rate (handle 2, SFLOAT and time stamp).
    public static let bloodPressureMonitor = IEEE11073Configuration(id: 0x02BC, objects: [
        .init(handle: 1, typeCode: N.bloodPressureNonInvasive, unitCode: 3872,
              componentCodes: [N.systolicNonInvasive, N.diastolicNonInvasive, N.meanNonInvasive],
              valueMap: [(N.attrNuCmpdValObsBasic, 10), (N.attrTimeStampAbs, 8)]),
        .init(handle: 2, typeCode: N.pulseRateNonInvasive, unitCode: 2720,
              valueMap: [(N.attrNuValObsBasic, 2), (N.attrTimeStampAbs, 8)]),
    ])

    /// Weighing scale 0x05DC: body mass (handle 1, FLOAT and time stamp) in kg.
    public static let weighingScale = IEEE11073Configuration(id: 0x05DC, objects: [
        .init(handle: 1, typeCode: N.bodyMass, unitCode: 1731,
              valueMap: [(N.attrNuValObsSimp, 4), (N.attrTimeStampAbs, 8)]),
    ])

    /// Glucose meter 0x06A4: capillary whole-blood glucose (handle 1, SFLOAT and time stamp)
    /// in mg/dL.
    public static let glucoseMeter = IEEE11073Configuration(id: 0x06A4, objects: [
        .init(handle: 1, typeCode: N.glucoseCapillaryWholeBlood, unitCode: 2130,
              valueMap: [(N.attrNuValObsBasic, 2), (N.attrTimeStampAbs, 8)]),
    ])

    /// The standard configuration with `id`, or nil for an extended (agent-reported) one.
    public static func configuration(id: UInt16) -> IEEE11073Configuration? {
        switch id {
        case 0x0190, 0x0191:
            var c = pulseOximeter
            c.id = id
            return c
        case 0x02BC: return bloodPressureMonitor
        case 0x05DC: return weighingScale
        case 0x06A4: return glucoseMeter
        default: return nil
        }
    }

    /// A name for the device model, from the configuration id.
    public static func modelName(configID: UInt16) -> String {
        let hex = Hex.byte(UInt8(configID >> 8)) + Hex.byte(UInt8(configID & 0xFF))
        switch configID {
        case 0x0190, 0x0191: return "11073 pulse oximeter (config \(hex))"
        case 0x02BC: return "11073 blood pressure monitor (config \(hex))"
        case 0x05DC: return "11073 weighing scale (config \(hex))"
        case 0x06A4: return "11073 glucose meter (config \(hex))"
        default: return "11073 agent (extended config \(hex))"
        }
    }
}
