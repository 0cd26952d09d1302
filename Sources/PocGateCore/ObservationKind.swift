/// What a reading measures, with the LOINC code and UCUM unit the center receives.
///
/// LOINC codes a property (mass or substance concentration), so each analyte has one code per
/// kind of unit; docs/CODES.md lists every code and its source. Vital signs follow the FHIR R4
/// vital-signs profiles (one code, one UCUM unit each).
public enum ObservationKind: String, Sendable, Hashable, Codable, CaseIterable {
    // Strip-meter analytes (personal meters, kiosks).
    /// Capillary blood glucose measured by a meter.
    case glucose
    /// Total cholesterol (kiosk / multi-analyte strip meters).
    case cholesterol
    /// Triglycerides (kiosk / multi-analyte strip meters).
    case triglycerides
    /// Uric acid (urate) (kiosk / multi-analyte strip meters).
    case uricAcid = "uric-acid"
    /// Blood ketone (beta-hydroxybutyrate) on a ketone strip.
    case ketone
    /// A laboratory analyte named by an analyte table (DeviceProfiles/analytes, docs/CODES.md):
    /// `Reading.code` is its LOINC code and `Reading.unit` its UCUM unit, both from the table.
    case laboratory

    // Vital signs (kiosks, BP monitors, oximeters, scales).
    /// Blood pressure panel: systolic and diastolic (and mean, when measured) as components.
    case bloodPressure = "blood-pressure"
    /// Systolic blood pressure (a component of `bloodPressure`).
    case systolicPressure = "systolic-pressure"
    /// Diastolic blood pressure (a component of `bloodPressure`).
    case diastolicPressure = "diastolic-pressure"
    /// Mean arterial pressure (a component of `bloodPressure`, when the device reports it).
    case meanPressure = "mean-pressure"
    /// Heart rate / pulse rate, beats per minute.
    case heartRate = "heart-rate"
    /// Oxygen saturation by pulse oximetry.
    case oxygenSaturation = "oxygen-saturation"
    /// Body temperature.
    case bodyTemperature = "body-temperature"
    /// Respiratory rate, breaths per minute.
    case respiratoryRate = "respiratory-rate"
    /// Body weight.
    case bodyWeight = "body-weight"
    /// Body height.
    case bodyHeight = "body-height"
    /// Body mass index.
    case bmi

    // Resting 12-lead ECG (carts).
    /// ECG heart rate (ventricular rate from the cart's measurements).
    case ecgHeartRate = "ecg-heart-rate"
    /// PR interval.
    case prInterval = "pr-interval"
    /// QRS duration.
    case qrsDuration = "qrs-duration"
    /// QT interval.
    case qtInterval = "qt-interval"
    /// QT interval corrected for heart rate.
    case qtcInterval = "qtc-interval"
    /// QRS axis.
    case qrsAxis = "qrs-axis"
    /// P axis.
    case pAxis = "p-axis"
    /// T axis.
    case tAxis = "t-axis"
    /// The ECG waveform itself: `Reading.waveform` holds the leads.
    case ecgWaveform = "ecg-waveform"

    // Added after the first release: kept last so stored and compiled case order is unchanged.
    /// Haemoglobin in capillary blood (multi-analyte strip meters such as the TaiDoc MD6).
    case haemoglobin

    /// The LOINC code for this kind in the given UCUM unit, or nil when the pair is not one
    /// pocgate knows how to code. Fingerstick meters: 41653-7 (mass), 14743-9 (molar).
    public func loincCode(unit: String) -> String? {
        Self.table[self]?.first { $0.unit == unit }?.code
    }

    /// The LOINC display text for `loincCode(unit:)`.
    public func loincDisplay(unit: String) -> String? {
        Self.table[self]?.first { $0.unit == unit }?.display
    }

    /// The UCUM units this kind can be coded in, in table order.
    public var codedUnits: [String] { Self.table[self]?.map(\.unit) ?? [] }

    /// (UCUM unit, LOINC code, LOINC long common name) per kind.
    private static let table: [ObservationKind: [(unit: String, code: String, display: String)]] = [
        .glucose: [("mg/dL", "41653-7", "Glucose [Mass/volume] in Capillary blood by Glucometer"),
                   ("mmol/L", "14743-9", "Glucose [Moles/volume] in Capillary blood by Glucometer")],
        .cholesterol: [("mg/dL", "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"),
                       ("mmol/L", "14647-2", "Cholesterol [Moles/volume] in Serum or Plasma")],
        .triglycerides: [("mg/dL", "2571-8", "Triglyceride [Mass/volume] in Serum or Plasma"),
                         ("mmol/L", "14927-8", "Triglyceride [Moles/volume] in Serum or Plasma")],
        .uricAcid: [("mg/dL", "3084-1", "Urate [Mass/volume] in Serum or Plasma"),
                    ("umol/L", "14933-6", "Urate [Moles/volume] in Serum or Plasma")],
        .ketone: [("mmol/L", "66441-7", "Beta hydroxybutyrate [Moles/volume] in Blood by Test strip")],
        .haemoglobin: [("g/dL", "718-7", "Hemoglobin [Mass/volume] in Blood")],
        .bloodPressure: [("mm[Hg]", "85354-9", "Blood pressure panel with all children optional")],
        .systolicPressure: [("mm[Hg]", "8480-6", "Systolic blood pressure")],
        .diastolicPressure: [("mm[Hg]", "8462-4", "Diastolic blood pressure")],
        .meanPressure: [("mm[Hg]", "8478-0", "Mean blood pressure")],
        .heartRate: [("/min", "8867-4", "Heart rate")],
        .oxygenSaturation: [("%", "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")],
        .bodyTemperature: [("Cel", "8310-5", "Body temperature"), ("[degF]", "8310-5", "Body temperature")],
        .respiratoryRate: [("/min", "9279-1", "Respiratory rate")],
        .bodyWeight: [("kg", "29463-7", "Body weight"), ("[lb_av]", "29463-7", "Body weight")],
        .bodyHeight: [("cm", "8302-2", "Body height"), ("[in_i]", "8302-2", "Body height")],
        .bmi: [("kg/m2", "39156-5", "Body mass index (BMI) [Ratio]")],
        .ecgHeartRate: [("/min", "8867-4", "Heart rate")],
        .prInterval: [("ms", "8625-6", "P-R Interval")],
        .qrsDuration: [("ms", "8633-0", "QRS duration")],
        .qtInterval: [("ms", "8634-8", "Q-T Interval")],
        .qtcInterval: [("ms", "8636-3", "Q-T Interval corrected")],
        .qrsAxis: [("deg", "8632-2", "QRS axis")],
        .pAxis: [("deg", "8626-4", "P wave axis")],
        .tAxis: [("deg", "8638-9", "T wave axis")],
        .ecgWaveform: [("uV", "11524-6", "EKG study")],
    ]
}
