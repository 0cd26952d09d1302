import PocGateCore

/// ECG leads sent as NA numeric arrays, assembled into a `Waveform`: samples become integer
/// counts at the finest decimal scale any sample uses, so no value is rounded.
enum HL7Waveform {
    /// 1000 / `hertz` milliseconds, when that is exact within six decimals.
    static func periodMillis(hertz: ExactDecimal) -> ExactDecimal? {
        guard hertz.mantissa > 0 else { return nil }
        var numerator: Int64 = 1_000_000_000   // 1000 ms × 10^6
        for _ in 0..<Int(hertz.scale) {
            let (m, o) = numerator.multipliedReportingOverflow(by: 10)
            if o { return nil }
            numerator = m
        }
        guard numerator % hertz.mantissa == 0 else { return nil }
        return normalized(ExactDecimal(mantissa: numerator / hertz.mantissa, scale: 6))
    }

    static func build(_ leads: [(name: String, value: HL7Value, unit: String, setID: String)],
                      periodMillis: ExactDecimal) -> Result<Waveform, HL7ResultProblem> {
        var arrays: [(String, [ExactDecimal])] = []
        var scale: UInt8 = 0
        var unit: String?
        for lead in leads {
            guard case let .array(values) = lead.value else {
                return .failure(.valueShape(setID: lead.setID, why: "an ECG lead must be an NA numeric array"))
            }
            guard lead.unit == "uV" || lead.unit == "mV", unit == nil || unit == lead.unit else {
                return .failure(.unknownUnit(setID: lead.setID, unit: lead.unit, kind: "an ECG lead (uV or mV, the same for every lead)"))
            }
            unit = lead.unit
            scale = max(scale, values.map(\.scale).max() ?? 0)
            arrays.append((lead.name, values))
        }
        guard scale <= 9 else { return .failure(.valueShape(setID: leads[0].setID, why: "ECG samples with more than 9 decimals")) }
        var out: [WaveformLead] = []
        for (name, values) in arrays {
            var samples: [Int32] = []
            samples.reserveCapacity(values.count)
            for v in values {
                var m: Int64? = v.mantissa
                for _ in 0..<Int(scale - v.scale) {
                    let (p, overflow) = (m ?? 0).multipliedReportingOverflow(by: 10)
                    m = overflow ? nil : p
                }
                guard let m, let s = Int32(exactly: m) else {
                    return .failure(.valueShape(setID: leads[0].setID, why: "ECG sample \(v) does not fit 32 bits at scale \(scale)"))
                }
                samples.append(s)
            }
            out.append(WaveformLead(name: name, samples: samples))
        }
        let factor = normalized(ExactDecimal(mantissa: unit == "mV" ? 1000 : 1, scale: scale))
        return .success(Waveform(periodMillis: periodMillis, factor: factor, leads: out))
    }

    static func normalized(_ d: ExactDecimal) -> ExactDecimal {
        var d = d
        while d.scale > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10
            d.scale -= 1
        }
        return d
    }
}
