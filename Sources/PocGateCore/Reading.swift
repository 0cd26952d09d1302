/// One measurement taken from a device, as stored and uploaded.
///
/// Identity: `deviceSerial` + `recordKey` names the measurement for ever. The record key is
/// built from what the measurement *is* (time, value, flags, occurrence), never from where it
/// sits in the device's memory, because memory indexes shift when a new measurement is taken.
public struct Reading: Sendable, Hashable, Codable {
    /// The profile that decoded it, e.g. `taidoc-td4277`.
    public var profileID: String
    /// The device's own serial number (not the USB cable's).
    public var deviceSerial: String
    /// The device model as the device reports it, e.g. `TD-4277`.
    public var deviceModel: String
    /// The stable identity of this measurement within the device.
    public var recordKey: String
    /// What was measured.
    public var kind: ObservationKind
    /// LOINC code.
    public var code: String
    /// The value exactly as the device reported it.
    public var value: ExactDecimal
    /// UCUM unit of `value`.
    public var unit: String
    /// The time stamp as the device's clock reported it (no zone).
    public var deviceTime: LocalDateTime
    /// Flags the device carried with the value, sorted.
    public var flags: [ReadingFlag]
    /// The raw bytes the value was decoded from, for provenance.
    public var raw: [UInt8]
    /// The patient identifier the device itself supplied (kiosks, ECG carts, LIS messages),
    /// exactly as sent; nil for personal meters, whose patient the binding rule decides.
    /// Never logged unmasked.
    public var patientID: String?
    /// The parts of a panel measured together (blood pressure: systolic, diastolic, mean);
    /// empty for a single value. `value` then repeats the panel's leading part.
    public var components: [ReadingComponent]
    /// The waveform recorded with the reading (a resting ECG), kept whole; nil otherwise.
    public var waveform: Waveform?
    /// What the ECG cart recorded with a resting ECG besides the samples (its interpretive
    /// statements and whether a physician confirmed them, filter settings, the patient's age
    /// as entered): carried by the waveform reading only; nil otherwise.
    public var ecgContext: ECGContext?
    /// The UTC offset the device wrote with its time (HL7 TS/DTM `+ZZZZ`), seconds; nil when the
    /// device wrote none: `deviceTime` is then wall time in the gateway's configured zone.
    public var utcOffsetSeconds: Int?
    /// How precisely the device wrote `deviceTime` when not to the second or minute (a date only,
    /// or seconds with a fraction); nil: to the second (a time to the minute has `:00` seconds).
    public var timePrecision: DeviceTimePrecision?
    /// The result status the device declared (final unless it said otherwise).
    public var status: ResultStatus = .final
    /// What names the observation across messages, independently of its value: a correction
    /// (`status` corrected / entered-in-error) amends the earlier reading of the same device with
    /// the same identity. HL7: order number (OBR-3, else OBR-2, else OBR-7) | OBX-3 | OBX-4 |
    /// patient digest; ASTM: test id | result time | patient digest. Nil when not known.
    public var identity: String?
    /// Where on the body it was measured, as the device named it (HL7 OBX-20), e.g. a
    /// temperature's site; nil when not sent.
    public var bodySite: String?
    /// Why the value must not be uploaded before a person looked at it; nil normally.
    public var valueHold: ValueHold?

    public init(profileID: String, deviceSerial: String, deviceModel: String, recordKey: String,
                kind: ObservationKind, code: String, value: ExactDecimal, unit: String,
                deviceTime: LocalDateTime, flags: [ReadingFlag], raw: [UInt8],
                patientID: String? = nil, components: [ReadingComponent] = [], waveform: Waveform? = nil,
                ecgContext: ECGContext? = nil) {
        self.profileID = profileID
        self.deviceSerial = deviceSerial
        self.deviceModel = deviceModel
        self.recordKey = recordKey
        self.kind = kind
        self.code = code
        self.value = value
        self.unit = unit
        self.deviceTime = deviceTime
        // Most readings carry no flag or flags already in order: kept as given (no copy).
        self.flags = zip(flags, flags.dropFirst()).contains { $1 < $0 } ? flags.sorted() : flags
        self.raw = raw
        self.patientID = patientID
        self.components = components
        self.waveform = waveform
        self.ecgContext = ecgContext
    }
}
