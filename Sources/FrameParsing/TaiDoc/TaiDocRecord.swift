public import PocGateCore

/// One record as the device reported it: the time reply and value reply for one memory index.
public struct TaiDocRecord: Sendable, Equatable {
    /// The record's time stamp (minute resolution, device clock).
    public var time: LocalDateTime
    /// The flag bits of the time reply (record type, irregular heartbeat, averaged).
    public var timeFlags: TaiDocPayload.TimeFlags
    /// The value reply's 4 payload bytes, d0…d3.
    public var payloadBytes: (UInt8, UInt8, UInt8, UInt8) {
        get { (UInt8(truncatingIfNeeded: payloadWord), UInt8(truncatingIfNeeded: payloadWord >> 8),
               UInt8(truncatingIfNeeded: payloadWord >> 16), UInt8(truncatingIfNeeded: payloadWord >> 24)) }
        set { payloadWord = UInt32(newValue.0) | UInt32(newValue.1) << 8 | UInt32(newValue.2) << 16 | UInt32(newValue.3) << 24 }
    }
    /// The value reply's 4 payload bytes.
    public var payload: [UInt8] {
        let p = payloadBytes
        return [p.0, p.1, p.2, p.3]
    }
    /// d0…d3 little-endian, held without an array.
    private var payloadWord: UInt32 = 0
    /// The layout the model and the record-type bit give, or why there is none.
    public var layout: Result<TaiDocLayout, TaiDocRecordProblem>
    /// The stable identity of this measurement within the device (never the memory index).
    public var recordKey: String
    /// The two reply frames, time then value: 16 bytes of provenance.
    public var raw: [UInt8]

    public init(time: LocalDateTime, timeFlags: TaiDocPayload.TimeFlags, payloadBytes: (UInt8, UInt8, UInt8, UInt8),
                layout: Result<TaiDocLayout, TaiDocRecordProblem>, recordKey: String, raw: [UInt8]) {
        self.time = time
        self.timeFlags = timeFlags
        self.layout = layout
        self.recordKey = recordKey
        self.raw = raw
        self.payloadBytes = payloadBytes
    }

    /// The value reply's glucose fields (value, context, analyte).
    public var value: TaiDocPayload.ValueInfo { TaiDocPayload.value(payloadBytes) }

    /// The readings this record is: one for glucose, an analyte or a temperature; a
    /// blood-pressure panel and, when the pulse was measured, a heart rate. A failure says why
    /// the record cannot be read; its bytes are then kept as a problem.
    public func readings(profileID: String, serial: String, model: String) -> Result<[Reading], TaiDocRecordProblem> {
        var out: [Reading] = []
        if let problem = forEachReading(profileID: profileID, serial: serial, model: model, { out.append($0) }) {
            return .failure(problem)
        }
        return .success(out)
    }

    /// `readings`, handed to `body` one by one without an array: nothing is handed over when
    /// the record cannot be read, and the problem is returned instead.
    public func forEachReading(profileID: String, serial: String, model: String, _ body: (Reading) -> Void) -> TaiDocRecordProblem? {
        let layout: TaiDocLayout
        switch self.layout {
        case let .success(l): layout = l
        case let .failure(p): return p
        }
        func reading(_ m: TaiDocMeasure, _ v: ExactDecimal, key: String? = nil,
                     flags: [ReadingFlag] = [], components: [ReadingComponent] = []) -> Reading {
            Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: key ?? recordKey, kind: m.kind,
                    code: m.code, value: v, unit: m.unit, deviceTime: time, flags: flags, raw: raw,
                    components: components)
        }
        let info = value
        switch layout {
        case .glucose, .multiAnalyte:
            let control = info.context == 3 ? TaiDocPayload.controlSolutionFlags : []
            switch info.analyte {
            case 0: body(reading(.glucose, ExactDecimal(Int(info.raw)), flags: TaiDocPayload.flags(info)))
            case 7 where layout == .multiAnalyte:
                // Ketone is stored as 30 × mmol/L (Tidepool's and AdvMeds' TaiDoc drivers).
                guard let v = ExactDecimal(Int(info.raw)).scaled(by: 1, over: 30, toScale: 1, rounding: .halfEven) else {
                    return .unsupportedAnalyte(7)
                }
                body(reading(.ketone, v, flags: control))
            case 8 where layout == .multiAnalyte:
                body(reading(.uricAcid, ExactDecimal(mantissa: Int64(info.raw), scale: 1), flags: control))
            case 9 where layout == .multiAnalyte:
                body(reading(.cholesterol, ExactDecimal(Int(info.raw)), flags: control))
            case 11 where layout == .multiAnalyte:
                // Haemoglobin is stored as 10 × g/dL (AdvMeds' TaiDoc driver). Haematocrit (6)
                // stays refused: no public source states its scaling.
                body(reading(.haemoglobin, ExactDecimal(mantissa: Int64(info.raw), scale: 1), flags: control))
            default:
                return .unsupportedAnalyte(info.analyte)
            }
        case .glucoseCodeNumber:
            // d3 bits 5..0 are the strip's code number: kept in the raw bytes and the key only.
            body(reading(.glucose, ExactDecimal(Int(info.raw)), flags: TaiDocPayload.flags(info)))
        case .thermometer:
            let p = payloadBytes
            let tenths = Int64(UInt16(p.0) | UInt16(p.1) << 8) & 0x0FFF
            let celsius = ExactDecimal(mantissa: tenths, scale: 1)
            guard TaiDocPayload.bodyTemperatureTenths.contains(tenths) else { return .temperatureImplausible(celsius.description) }
            body(reading(.bodyTemperature, celsius))
        case .bloodPressure:
            guard !timeFlags.averaged else { return .averagedRecord }
            let p = payloadBytes
            let (systolic, mean, diastolic, pulse) = (Int(p.0), Int(p.1), Int(p.2), Int(p.3))
            guard diastolic > 0, diastolic < systolic, mean == 0 || (diastolic < mean && mean < systolic) else {
                return .bloodPressureImplausible(hex: Hex.string(payload))
            }
            var parts = [ReadingComponent(kind: .systolicPressure, value: ExactDecimal(systolic), unit: "mm[Hg]"),
                         ReadingComponent(kind: .diastolicPressure, value: ExactDecimal(diastolic), unit: "mm[Hg]")]
            if mean > 0 { parts.append(ReadingComponent(kind: .meanPressure, value: ExactDecimal(mean), unit: "mm[Hg]")) }
            let flags = timeFlags.irregularHeartbeat ? TaiDocPayload.irregularHeartbeatFlags : []
            body(reading(.bloodPressure, ExactDecimal(systolic), flags: flags, components: parts))
            if pulse > 0 { body(reading(.heartRate, ExactDecimal(pulse), key: recordKey + "|pulse", flags: flags)) }
        }
        return nil
    }
}
