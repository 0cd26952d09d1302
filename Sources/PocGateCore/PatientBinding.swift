/// Who decides which patient a reading belongs to (`patients.binding`, docs/CONFIG.md).
///
/// A reading that carries a patient identifier from the device itself (a kiosk that read an
/// ID card, an ECG cart, a LIS message) always goes out with that patient, in both modes.
public enum PatientBinding: String, Sendable, Hashable, Codable, CaseIterable {
    /// The data center matches readings to patients (by device serial, its own registry):
    /// pocgate sends the Device and no guessed subject.
    case center
    /// The gateway keeps device → patient bindings (`pocgate bind`): a reading from a bound
    /// device is sent with the bound patient; one from an unbound device is stored and held
    /// (`unbound`) until the device is bound.
    case gateway
}

/// Why a reading is held back from upload for its patient: stored, shown, never sent until
/// fixed. Stored as the outbox `held_reason`.
public enum PatientHold: String, Sendable, Hashable, Codable, CaseIterable {
    /// `patients.binding: gateway` and the device is bound to nobody.
    case unbound
    /// The patient identifier (device-supplied or bound) fails the resident-ID checks.
    case invalidPatientID = "invalid-patient-id"
    /// A reading that only makes sense with its patient (a 12-lead ECG: a cart serves every
    /// patient of the clinic) arrived with no patient identifier: it is never uploaded without
    /// a subject; `pocgate queue attach` gives it one.
    case missingPatientID = "no-patient-id"
}
