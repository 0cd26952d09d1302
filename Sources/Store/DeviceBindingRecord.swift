/// A device bound to a patient by `pocgate bind` (`patients.binding: gateway`).
public struct DeviceBindingRecord: Sendable, Equatable {
    /// The device's own serial number.
    public var deviceSerial: String
    /// The patient's resident ID (never logged or printed unmasked).
    public var patientID: String
    /// When it was bound, Unix ms.
    public var boundAtMillis: Int64
    /// Who bound it (the operator's user name).
    public var boundBy: String

    public init(deviceSerial: String, patientID: String, boundAtMillis: Int64, boundBy: String) {
        self.deviceSerial = deviceSerial
        self.patientID = patientID
        self.boundAtMillis = boundAtMillis
        self.boundBy = boundBy
    }
}

/// What `Store.bind` did.
public struct BindOutcome: Sendable, Equatable {
    /// The patient the device was bound to before; nil for a first binding.
    public var previousPatientID: String?
    /// Readings held `unbound` that were released for the new patient.
    public var released: Int
}

/// What `Store.releaseHeld` did.
public struct ReleaseOutcome: Sendable, Equatable {
    /// Readings now queued for upload.
    public var released: Int
    /// Readings judged again and still held (their patient is still missing or invalid).
    public var stillHeld: Int
}

/// One entry of the audit log: who changed a binding or released held readings, and when.
public struct AuditEntry: Sendable, Equatable {
    public var atMillis: Int64
    /// The operator's user name.
    public var actor: String
    /// `bind`, `rebind`, `unbind`, `release`, `show-patient-ids` (a command printed IDs in clear)
    /// or `drop-problems` (kept undecoded records deleted by hand).
    public var action: String
    public var deviceSerial: String?
    /// The binding before (bind, rebind, unbind).
    public var oldPatientID: String?
    /// The binding after (bind, rebind).
    public var newPatientID: String?
    /// What else happened (readings released).
    public var detail: String?

    public init(atMillis: Int64, actor: String, action: String, deviceSerial: String?, oldPatientID: String?,
                newPatientID: String?, detail: String?) {
        self.atMillis = atMillis
        self.actor = actor
        self.action = action
        self.deviceSerial = deviceSerial
        self.oldPatientID = oldPatientID
        self.newPatientID = newPatientID
        self.detail = detail
    }
}
