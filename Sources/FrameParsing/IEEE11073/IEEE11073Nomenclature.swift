public import PocGateCore

/// The ISO/IEEE 11073-10101 codes pocgate decodes (term codes within their partition), and
/// how they map to pocgate's kinds and UCUM units. Sources: docs/protocols/ieee11073.md.
public enum IEEE11073Nomenclature {
    // Partitions.
    public static let partitionSCADA: UInt16 = 2
    public static let partitionDimension: UInt16 = 4

    // Object classes.
    public static let classNumeric: UInt16 = 6            // MDC_MOC_VMO_METRIC_NU

    // Attributes.
    public static let attrHandle: UInt16 = 2337           // MDC_ATTR_ID_HANDLE
    public static let attrType: UInt16 = 2351             // MDC_ATTR_ID_TYPE
    public static let attrNuValObs: UInt16 = 2384         // MDC_ATTR_NU_VAL_OBS
    public static let attrNuCmpdValObs: UInt16 = 2379     // MDC_ATTR_NU_CMPD_VAL_OBS
    public static let attrTimeStampAbs: UInt16 = 2448     // MDC_ATTR_TIME_STAMP_ABS
    public static let attrUnitCode: UInt16 = 2454         // MDC_ATTR_UNIT_CODE
    public static let attrMetricSpecSmall: UInt16 = 2630  // MDC_ATTR_METRIC_SPEC_SMALL
    public static let attrNuValObsBasic: UInt16 = 2636    // MDC_ATTR_NU_VAL_OBS_BASIC (SFLOAT)
    public static let attrValueMap: UInt16 = 2645         // MDC_ATTR_ATTRIBUTE_VAL_MAP
    public static let attrNuValObsSimp: UInt16 = 2646     // MDC_ATTR_NU_VAL_OBS_SIMP (FLOAT)
    public static let attrMetricStructSmall: UInt16 = 2675 // MDC_ATTR_METRIC_STRUCT_SMALL
    public static let attrNuCmpdValObsSimp: UInt16 = 2676 // MDC_ATTR_NU_CMPD_VAL_OBS_SIMP (FLOATs)
    public static let attrNuCmpdValObsBasic: UInt16 = 2677 // MDC_ATTR_NU_CMPD_VAL_OBS_BASIC (SFLOATs)
    public static let attrPhysioList: UInt16 = 2678       // MDC_ATTR_ID_PHYSIO_LIST

    // Notifications (event types).
    public static let notiConfig: UInt16 = 3356           // MDC_NOTI_CONFIG
    public static let notiScanReportFixed: UInt16 = 3357  // MDC_NOTI_SCAN_REPORT_FIXED
    public static let notiScanReportVar: UInt16 = 3358    // MDC_NOTI_SCAN_REPORT_VAR
    public static let notiScanReportMPFixed: UInt16 = 3359 // MDC_NOTI_SCAN_REPORT_MP_FIXED
    public static let notiScanReportMPVar: UInt16 = 3360  // MDC_NOTI_SCAN_REPORT_MP_VAR

    // Measurements (partition SCADA).
    public static let glucoseCapillaryWholeBlood: UInt16 = 29112 // MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD
    public static let bloodPressureNonInvasive: UInt16 = 18948   // MDC_PRESS_BLD_NONINV
    public static let systolicNonInvasive: UInt16 = 18949        // MDC_PRESS_BLD_NONINV_SYS
    public static let diastolicNonInvasive: UInt16 = 18950       // MDC_PRESS_BLD_NONINV_DIA
    public static let meanNonInvasive: UInt16 = 18951            // MDC_PRESS_BLD_NONINV_MEAN
    public static let pulseRateNonInvasive: UInt16 = 18474       // MDC_PULS_RATE_NON_INV
    public static let oximetrySaturation: UInt16 = 19384         // MDC_PULS_OXIM_SAT_O2
    public static let oximetryPulseRate: UInt16 = 18458          // MDC_PULS_OXIM_PULS_RATE
    public static let bodyMass: UInt16 = 57664                   // MDC_MASS_BODY_ACTUAL
    public static let bodyLength: UInt16 = 57668                 // MDC_LEN_BODY_ACTUAL
    public static let bodyMassIndex: UInt16 = 57680              // MDC_RATIO_MASS_BODY_LEN_SQ

    /// The reading kind of a measurement code, or nil when pocgate does not decode it.
    public static func kind(of code: UInt16) -> ObservationKind? {
        switch code {
        case glucoseCapillaryWholeBlood: return .glucose
        case bloodPressureNonInvasive: return .bloodPressure
        case pulseRateNonInvasive, oximetryPulseRate: return .heartRate
        case oximetrySaturation: return .oxygenSaturation
        case bodyMass: return .bodyWeight
        case bodyLength: return .bodyHeight
        case bodyMassIndex: return .bmi
        default: return nil
        }
    }

    /// The component kind of a blood-pressure sub-code.
    public static func pressureComponent(_ code: UInt16) -> ObservationKind? {
        switch code {
        case systolicNonInvasive: return .systolicPressure
        case diastolicNonInvasive: return .diastolicPressure
        case meanNonInvasive: return .meanPressure
        default: return nil
        }
    }

    /// The UCUM unit of a MDC_DIM unit code (partition 4), or nil when not mapped.
    public static func ucum(_ unitCode: UInt16) -> String? {
        switch unitCode {
        case 2130: return "mg/dL"     // MDC_DIM_MILLI_G_PER_DL
        case 4722: return "mmol/L"    // MDC_DIM_MILLI_MOLE_PER_L
        case 3872: return "mm[Hg]"    // MDC_DIM_MMHG
        case 3843: return "kPa"       // MDC_DIM_KILO_PASCAL (not coded for upload)
        case 2720: return "/min"      // MDC_DIM_BEAT_PER_MIN
        case 544: return "%"          // MDC_DIM_PERCENT
        case 1731: return "kg"        // MDC_DIM_KILO_G
        case 1760: return "[lb_av]"   // MDC_DIM_LB
        case 1297: return "cm"        // MDC_DIM_CENTI_M
        case 1376: return "[in_i]"    // MDC_DIM_INCH
        case 1952: return "kg/m2"     // MDC_DIM_KG_PER_M_SQ
        default: return nil
        }
    }
}
