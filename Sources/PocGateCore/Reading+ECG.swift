extension Reading {
    /// The record-key prefix every reading of one resting ECG shares (`ecg|<acquired>|<patient
    /// digest>|`, see `ECGRecord.readings`): what ties the measurements to their waveform in the
    /// store (a patient attached to one is attached to all) and in FHIR (`derivedFrom`). Nil for
    /// a reading that is not part of an ECG.
    public var ecgGroupKey: String? {
        guard kind.isECG else { return nil }
        let parts = recordKey.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "ecg" else { return nil }
        return parts[0...2].joined(separator: "|") + "|"
    }
}

extension ObservationKind {
    /// Whether this kind is part of a resting 12-lead ECG (the waveform and the cart's global
    /// measurements). An ECG cart serves every patient of a clinic, so such a reading is only
    /// ever uploaded with the patient it was recorded for (docs/CODES.md "Patients").
    public var isECG: Bool {
        switch self {
        case .ecgWaveform, .ecgHeartRate, .prInterval, .qrsDuration, .qtInterval, .qtcInterval, .pAxis, .qrsAxis, .tAxis:
            return true
        default:
            return false
        }
    }
}
