extension GATTGlucoseRecord {
    /// The fluid the concentration was measured in: the type-sample location byte's low nibble
    /// (GATT Specification Supplement, "Glucose Measurement", Type field).
    public enum SampleType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
        case capillaryWholeBlood = 1
        case capillaryPlasma = 2
        case venousWholeBlood = 3
        case venousPlasma = 4
        case arterialWholeBlood = 5
        case arterialPlasma = 6
        case undeterminedWholeBlood = 7
        case undeterminedPlasma = 8
        case interstitialFluid = 9
        case controlSolution = 10

        public var description: String {
            switch self {
            case .capillaryWholeBlood: return "capillary whole blood"
            case .capillaryPlasma: return "capillary plasma"
            case .venousWholeBlood: return "venous whole blood"
            case .venousPlasma: return "venous plasma"
            case .arterialWholeBlood: return "arterial whole blood"
            case .arterialPlasma: return "arterial plasma"
            case .undeterminedWholeBlood: return "undetermined whole blood"
            case .undeterminedPlasma: return "undetermined plasma"
            case .interstitialFluid: return "interstitial fluid"
            case .controlSolution: return "control solution"
            }
        }

        /// The LOINC (mass, molar) pair for this fluid: capillary and undetermined samples are
        /// the meter's fingerstick codes (a meter that does not know where the blood came from
        /// is a fingerstick meter; plasma-calibrated meters such as the Accu-Chek Guide report
        /// "undetermined plasma"); venous or arterial whole blood is "in Blood", venous or
        /// arterial plasma "in Serum or Plasma". Nil for interstitial fluid (no code pocgate
        /// carries) and control solution (coded as the meter's own, flagged).
        var loinc: (mass: String, molar: String)? {
            switch self {
            case .capillaryWholeBlood, .capillaryPlasma, .undeterminedWholeBlood, .undeterminedPlasma: return ("41653-7", "14743-9")
            case .venousWholeBlood, .arterialWholeBlood: return ("2339-0", "15074-8")
            case .venousPlasma, .arterialPlasma: return ("2345-7", "14749-6")
            case .interstitialFluid, .controlSolution: return nil
            }
        }
    }

    /// Where the sample was taken: the byte's high nibble (1 finger, 2 alternate site, 3
    /// earlobe, 4 control solution, 15 not available).
    public enum SampleLocation {
        public static let finger: UInt8 = 1
        public static let alternateSite: UInt8 = 2
        public static let earlobe: UInt8 = 3
        public static let controlSolution: UInt8 = 4
        public static let notAvailable: UInt8 = 15
    }

    /// The Sensor Status Annunciation bits (GATT Specification Supplement, "Glucose
    /// Measurement").
    public enum SensorStatus {
        public static let batteryLow: UInt16 = 1 << 0
        public static let sensorMalfunction: UInt16 = 1 << 1
        public static let sampleSizeInsufficient: UInt16 = 1 << 2
        public static let stripInsertionError: UInt16 = 1 << 3
        public static let stripTypeIncorrect: UInt16 = 1 << 4
        public static let resultTooHigh: UInt16 = 1 << 5
        public static let resultTooLow: UInt16 = 1 << 6
        public static let temperatureTooHigh: UInt16 = 1 << 7
        public static let temperatureTooLow: UInt16 = 1 << 8
        public static let readInterrupted: UInt16 = 1 << 9
        public static let generalDeviceFault: UInt16 = 1 << 10
        public static let timeFault: UInt16 = 1 << 11
        /// The bits that put the result's validity in question: the reading is held for a
        /// person to look at (`ValueHold.deviceWarning`). Battery low and the range bits are not
        /// among them (the range bits become the HI/LO flags).
        public static let questionable: UInt16 = sensorMalfunction | sampleSizeInsufficient | stripInsertionError
            | stripTypeIncorrect | temperatureTooHigh | temperatureTooLow | readInterrupted | generalDeviceFault | timeFault
    }
}
