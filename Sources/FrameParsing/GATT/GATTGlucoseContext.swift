public import PocGateCore

/// One Glucose Measurement Context value (characteristic 0x2A34; GATT Specification Supplement
/// "Glucose Measurement Context"): flags (uint8), sequence number (uint16), extended flags
/// (flag bit 7), carbohydrate ID and SFLOAT kg (bit 0), meal (bit 1), tester-health nibbles
/// (bit 2), exercise duration uint16 s and intensity % (bit 3), medication ID and SFLOAT kg
/// or litres (bit 4, unit bit 5), HbA1c SFLOAT % (bit 6). It follows the measurement with
/// the same sequence number.
public struct GATTGlucoseContext: Sendable, Hashable {
    /// The characteristic's 16-bit UUID.
    public static let uuid: UInt16 = 0x2A34
    static let name = "Glucose Measurement Context"

    /// Meal values (1 preprandial, 2 postprandial, 3 fasting, 4 casual, 5 bedtime).
    public enum Meal {
        public static let preprandial: UInt8 = 1
        public static let postprandial: UInt8 = 2
        public static let fasting: UInt8 = 3
        public static let casual: UInt8 = 4
        public static let bedtime: UInt8 = 5
    }

    /// Health values, the tester-health byte's high nibble (1 minor health issues, 2 major
    /// health issues, 3 during menses, 4 under stress, 5 no health issues, 15 not available).
    public enum Health {
        public static let minorIssues: UInt8 = 1
        public static let majorIssues: UInt8 = 2
        public static let menses: UInt8 = 3
        public static let stress: UInt8 = 4
        public static let noIssues: UInt8 = 5
    }

    public var flags: UInt8
    public var sequenceNumber: UInt16
    public var extendedFlags: UInt8?
    /// Carbohydrate ID (1 breakfast … 7 brunch) and amount in kg (SFLOAT as sent).
    public var carbohydrate: Amount?
    public var meal: UInt8?
    /// Tester: the low nibble (1 self, 2 health care professional, 3 lab test, 15 not available).
    public var tester: UInt8?
    /// Health: the high nibble (`Health`).
    public var health: UInt8?
    public var exerciseDurationSeconds: UInt16?
    public var exerciseIntensityPercent: UInt8?
    /// Medication ID (1 rapid-acting insulin … 5 pre-mixed) and amount, in kg, or in litres
    /// when flag bit 5 is set (SFLOAT as sent).
    public var medication: Amount?
    /// HbA1c in percent, as the SFLOAT sent.
    public var hbA1cSFLOAT: UInt16?
    /// The value as received.
    public var raw: [UInt8]

    /// An ID byte and the SFLOAT amount that follows it.
    public struct Amount: Sendable, Hashable {
        public var id: UInt8
        public var sfloat: UInt16
        /// The amount as a number.
        public var value: IEEE11073Number { .sfloat(sfloat) }
    }

    /// Whether the medication amount is in litres (flag bit 5) rather than kilograms.
    public var medicationInLitres: Bool { flags & 0x20 != 0 }

    /// Decodes one value; bytes after the last announced field are ignored.
    public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> GATTGlucoseContext {
        var r = GATTReader(bytes, characteristic: name)
        let flags = try r.u8("flags")
        var c = GATTGlucoseContext(flags: flags, sequenceNumber: try r.u16("sequence number"), raw: bytes)
        if flags & 0x80 != 0 { c.extendedFlags = try r.u8("extended flags") }
        if flags & 0x01 != 0 {
            c.carbohydrate = Amount(id: try r.u8("carbohydrate ID"), sfloat: try r.u16("carbohydrate"))
        }
        if flags & 0x02 != 0 { c.meal = try r.u8("meal") }
        if flags & 0x04 != 0 {
            let th = try r.u8("tester-health")
            c.tester = th & 0x0F
            c.health = th >> 4
        }
        if flags & 0x08 != 0 {
            c.exerciseDurationSeconds = try r.u16("exercise duration")
            c.exerciseIntensityPercent = try r.u8("exercise intensity")
        }
        if flags & 0x10 != 0 {
            c.medication = Amount(id: try r.u8("medication ID"), sfloat: try r.u16("medication"))
        }
        if flags & 0x40 != 0 { c.hbA1cSFLOAT = try r.u16("HbA1c") }
        return c
    }

    init(flags: UInt8, sequenceNumber: UInt16, raw: [UInt8]) {
        self.flags = flags
        self.sequenceNumber = sequenceNumber
        self.raw = raw
    }

    /// The project's reading flags for the meal and health fields: preprandial → before-meal,
    /// postprandial → after-meal, fasting, bedtime; minor or major health issues → illness,
    /// under stress → stress, during menses → menses. Casual, tester and the other fields add
    /// none.
    public var readingFlags: [ReadingFlag] {
        var out: [ReadingFlag] = []
        switch meal {
        case Meal.preprandial: out.append(.beforeMeal)
        case Meal.postprandial: out.append(.afterMeal)
        case Meal.fasting: out.append(.fasting)
        case Meal.bedtime: out.append(.bedtime)
        default: break
        }
        switch health {
        case Health.minorIssues, Health.majorIssues: out.append(.illness)
        case Health.menses: out.append(.menses)
        case Health.stress: out.append(.stress)
        default: break
        }
        return out
    }
}

