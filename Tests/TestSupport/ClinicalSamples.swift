public import PocGateCore

/// One reading of every `ObservationKind`, as codecs produce them: a BP panel with its
/// components, a 12-lead waveform, ECG measurements, vital signs and strip analytes.
public enum ClinicalSamples {
    static func d(_ text: String) -> ExactDecimal { ExactDecimal(parsing: text)! }

    static let time = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30)

    /// A reading of `kind` in its first coded unit (a panel for `.bloodPressure`, leads for `.ecgWaveform`).
    public static func reading(_ kind: ObservationKind, serial: String = "KIOSK-0001", patientID: String? = nil,
                               flags: [ReadingFlag] = []) -> Reading {
        // A table analyte (`.laboratory`) has no built-in unit: an HbA1c (NGSP %) stands for it.
        let unit = kind == .laboratory ? "%" : kind.codedUnits.first ?? ""
        let value: ExactDecimal
        var components: [ReadingComponent] = []
        var waveform: Waveform?
        switch kind {
        case .glucose: value = d("5.6")
        case .cholesterol: value = d("4.52")
        case .triglycerides: value = d("1.35")
        case .uricAcid: value = d("5.2")
        case .ketone: value = d("0.4")
        case .haemoglobin: value = d("13.5")
        case .laboratory: value = d("6.5")
        case .respiratoryRate: value = d("16")
        case .bloodPressure:
            value = d("128")
            components = [ReadingComponent(kind: .systolicPressure, value: d("128"), unit: "mm[Hg]"),
                          ReadingComponent(kind: .diastolicPressure, value: d("82"), unit: "mm[Hg]"),
                          ReadingComponent(kind: .meanPressure, value: d("97"), unit: "mm[Hg]")]
        case .systolicPressure: value = d("128")
        case .diastolicPressure: value = d("82")
        case .meanPressure: value = d("97")
        case .heartRate, .ecgHeartRate: value = d("72")
        case .oxygenSaturation: value = d("98")
        case .bodyTemperature: value = d("36.6")
        case .bodyWeight: value = d("61.5")
        case .bodyHeight: value = d("165.0")
        case .bmi: value = d("22.6")
        case .prInterval: value = d("156")
        case .qrsDuration: value = d("92")
        case .qtInterval: value = d("384")
        case .qtcInterval: value = d("421")
        case .qrsAxis: value = d("45")
        case .pAxis: value = d("52")
        case .tAxis: value = d("38")
        case .ecgWaveform:
            value = d("0")
            waveform = twelveLeads(samples: 5_000)
        }
        return Reading(profileID: "clinical-samples", deviceSerial: serial, deviceModel: "Sample", recordKey: "\(kind.rawValue)#1",
                       kind: kind, code: kind == .laboratory ? "4548-4" : kind.loincCode(unit: unit) ?? "", value: value, unit: unit, deviceTime: time,
                       flags: flags, raw: [], patientID: patientID, components: components, waveform: waveform)
    }

    /// A deterministic 12-lead waveform at 500 Hz (period 2 ms), 4.88 µV per count.
    public static func twelveLeads(samples: Int) -> Waveform {
        let names = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
        let leads = names.enumerated().map { index, name in
            WaveformLead(name: name, samples: (0..<samples).map { Int32(truncatingIfNeeded: ($0 * 37 + index * 101) % 2001 - 1000) })
        }
        return Waveform(periodMillis: d("2"), factor: d("4.88"), leads: leads)
    }
}
