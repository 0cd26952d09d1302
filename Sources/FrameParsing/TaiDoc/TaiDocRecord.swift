public import PocGateCore

/// One record as the device reported it: the time reply and value reply for one memory index.
public struct TaiDocRecord: Sendable, Equatable {
    /// The record's time stamp (minute resolution, device clock).
    public var time: LocalDateTime
    /// The flag bits of the time reply (record type, irregular heartbeat, averaged).
    public var timeFlags: TaiDocPayload.TimeFlags
    /// The value reply's 4 payload bytes.
    public var payload: [UInt8]
    /// The layout the model and the record-type bit give, or why there is none.
    public var layout: Result<TaiDocLayout, TaiDocRecordProblem>
    /// The stable identity of this measurement within the device (never the memory index).
    public var recordKey: String
    /// The two reply frames, time then value: 16 bytes of provenance.
    public var raw: [UInt8]

    /// The value reply's glucose fields (value, context, analyte).
    public var value: TaiDocPayload.ValueInfo { TaiDocPayload.value((payload[0], payload[1], payload[2], payload[3])) }

    /// The readings this record is: one for glucose, an analyte or a temperature; a
    /// blood-pressure panel and, when the pulse was measured, a heart rate. A failure says why
    /// the record cannot be read; its bytes are then kept as a problem.
    public func readings(profileID: String, serial: String, model: String) -> Result<[Reading], TaiDocRecordProblem> {
        let layout: TaiDocLayout
        switch self.layout {
        case let .success(l): layout = l
        case let .failure(p): return .failure(p)
        }
        func reading(_ kind: ObservationKind, _ v: ExactDecimal, _ unit: String, key: String = recordKey,
                     flags: [ReadingFlag] = [], components: [ReadingComponent] = []) -> Reading {
            Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: key, kind: kind,
                    code: kind.loincCode(unit: unit) ?? "", value: v, unit: unit, deviceTime: time, flags: flags, raw: raw,
                    components: components)
        }
        let info = value
        switch layout {
        case .glucose, .multiAnalyte:
            let control: [ReadingFlag] = info.context == 3 ? [.controlSolution] : []
            switch info.analyte {
            case 0: return .success([reading(.glucose, ExactDecimal(Int(info.raw)), "mg/dL", flags: TaiDocPayload.flags(info))])
            case 7 where layout == .multiAnalyte:
                // Ketone is stored as 30 × mmol/L (Tidepool's and AdvMeds' TaiDoc drivers).
                guard let v = ExactDecimal(Int(info.raw)).scaled(by: 1, over: 30, toScale: 1, rounding: .halfEven) else {
                    return .failure(.unsupportedAnalyte(7))
                }
                return .success([reading(.ketone, v, "mmol/L", flags: control)])
            case 8 where layout == .multiAnalyte:
                return .success([reading(.uricAcid, ExactDecimal(mantissa: Int64(info.raw), scale: 1), "mg/dL", flags: control)])
            case 9 where layout == .multiAnalyte:
                return .success([reading(.cholesterol, ExactDecimal(Int(info.raw)), "mg/dL", flags: control)])
            case 11 where layout == .multiAnalyte:
                // Haemoglobin is stored as 10 × g/dL (AdvMeds' TaiDoc driver). Haematocrit (6)
                // stays refused: no public source states its scaling.
                return .success([reading(.haemoglobin, ExactDecimal(mantissa: Int64(info.raw), scale: 1), "g/dL", flags: control)])
            default:
                return .failure(.unsupportedAnalyte(info.analyte))
            }
        case .glucoseCodeNumber:
            // d3 bits 5..0 are the strip's code number: kept in the raw bytes and the key only.
            return .success([reading(.glucose, ExactDecimal(Int(info.raw)), "mg/dL", flags: TaiDocPayload.flags(info))])
        case .thermometer:
            let tenths = Int64(UInt16(payload[0]) | UInt16(payload[1]) << 8) & 0x0FFF
            let celsius = ExactDecimal(mantissa: tenths, scale: 1)
            guard TaiDocPayload.bodyTemperatureTenths.contains(tenths) else { return .failure(.temperatureImplausible(celsius.description)) }
            return .success([reading(.bodyTemperature, celsius, "Cel")])
        case .bloodPressure:
            guard !timeFlags.averaged else { return .failure(.averagedRecord) }
            let (systolic, mean, diastolic, pulse) = (Int(payload[0]), Int(payload[1]), Int(payload[2]), Int(payload[3]))
            guard diastolic > 0, diastolic < systolic, mean == 0 || (diastolic < mean && mean < systolic) else {
                return .failure(.bloodPressureImplausible(hex: Hex.string(payload)))
            }
            var parts = [ReadingComponent(kind: .systolicPressure, value: ExactDecimal(systolic), unit: "mm[Hg]"),
                         ReadingComponent(kind: .diastolicPressure, value: ExactDecimal(diastolic), unit: "mm[Hg]")]
            if mean > 0 { parts.append(ReadingComponent(kind: .meanPressure, value: ExactDecimal(mean), unit: "mm[Hg]")) }
            let flags: [ReadingFlag] = timeFlags.irregularHeartbeat ? [.irregularHeartbeat] : []
            var out = [reading(.bloodPressure, ExactDecimal(systolic), "mm[Hg]", flags: flags, components: parts)]
            if pulse > 0 { out.append(reading(.heartRate, ExactDecimal(pulse), "/min", key: recordKey + "|pulse", flags: flags)) }
            return .success(out)
        }
    }
}
