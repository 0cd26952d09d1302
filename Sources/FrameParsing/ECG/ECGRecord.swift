public import PocGateCore

/// One resting ECG as a cart recorded it, whatever format carried it: the whole waveform,
/// the cart's measurements and who and when. Both ECG codecs (pocgate's framed transfer and
/// SCP-ECG) decode to this, and `readings(…)` turns it into what the store keeps.
public struct ECGRecord: Sendable, Hashable {
    /// The patient identifier the cart sent, exactly as sent; nil when it sent none.
    public var patientID: String?
    /// When the ECG was acquired, by the cart's clock.
    public var acquired: LocalDateTime
    /// Every sample of every lead, in device counts with the factor to microvolts.
    public var waveform: Waveform
    /// The cart's own interpretation measurements.
    public var measurements: ECGMeasurements
    /// The cart's serial number, when the record carries it.
    public var deviceSerial: String?
    /// The cart's model, when the record carries it.
    public var deviceModel: String?
    /// Statements, filter settings and the age entered, when the record carries any.
    public var context: ECGContext?

    public init(patientID: String?, acquired: LocalDateTime, waveform: Waveform, measurements: ECGMeasurements,
                deviceSerial: String? = nil, deviceModel: String? = nil, context: ECGContext? = nil) {
        self.context = context
        self.patientID = patientID
        self.acquired = acquired
        self.waveform = waveform
        self.measurements = measurements
        self.deviceSerial = deviceSerial
        self.deviceModel = deviceModel
    }

    /// FNV-1a 64 of the patient identifier, hex: record keys name the patient without
    /// carrying the identifier itself (keys appear in logs). `none` when there is no patient.
    public var patientDigest: String {
        guard let id = patientID else { return "none" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The readings of this ECG: first one `.ecgWaveform` reading (value = the number of
    /// leads, unit `uV`, LOINC 11524-6, `waveform` and `ecgContext` set), then one reading per measurement the
    /// cart made, in the order heart rate, PR, QRS, QT, QTc, P axis, QRS axis, T axis.
    ///
    /// Every record key is `ecg|<acquired>|<patient digest>|<kind>|<value>`, where the
    /// waveform's value is its sample digest, so the same ECG sent twice is the same reading.
    /// `raw` holds the bytes the record's identity was decoded from (header or patient
    /// section), not the samples, which `waveform` keeps whole.
    public func readings(profileID: String, serial: String, model: String, raw: [UInt8]) -> [Reading] {
        let time = acquired.description
        let base = "ecg|\(time)|\(patientDigest)|"
        func reading(_ kind: ObservationKind, _ value: Int, _ unit: String, key: String, waveform: Waveform? = nil) -> Reading? {
            guard let code = kind.loincCode(unit: unit) else { return nil }
            return Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: base + kind.rawValue + "|" + key,
                           kind: kind, code: code, value: ExactDecimal(value), unit: unit, deviceTime: acquired, flags: [],
                           raw: raw, patientID: patientID, waveform: waveform, ecgContext: waveform == nil ? nil : context)
        }
        var out: [Reading] = []
        if let w = reading(.ecgWaveform, waveform.leads.count, "uV", key: waveform.digest, waveform: waveform) { out.append(w) }
        let m = measurements
        let parts: [(ObservationKind, Int?, String)] = [
            (.ecgHeartRate, m.heartRate, "/min"), (.prInterval, m.prInterval, "ms"), (.qrsDuration, m.qrsDuration, "ms"),
            (.qtInterval, m.qtInterval, "ms"), (.qtcInterval, m.qtcInterval, "ms"), (.pAxis, m.pAxis, "deg"),
            (.qrsAxis, m.qrsAxis, "deg"), (.tAxis, m.tAxis, "deg"),
        ]
        for (kind, value, unit) in parts {
            if let value, let r = reading(kind, value, unit, key: String(value)) { out.append(r) }
        }
        return out
    }

    /// A decimal `units / 1000` with trailing zeros dropped: nanovolts to microvolts,
    /// microseconds to milliseconds.
    public static func thousandths(_ units: Int) -> ExactDecimal {
        var mantissa = Int64(units)
        var scale: UInt8 = 3
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        return ExactDecimal(mantissa: mantissa, scale: scale)
    }
}
