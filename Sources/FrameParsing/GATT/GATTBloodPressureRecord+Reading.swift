public import PocGateCore

extension GATTBloodPressureRecord {
    /// The record key: the profile has no sequence number, so the user, the time stamp and the
    /// values as sent. A copy of the same indication gives the same key.
    public var recordKey: String {
        let sfloats = [systolicSFLOAT, diastolicSFLOAT, meanArterialSFLOAT].map { String($0, radix: 16) }.joined(separator: "/")
        return "bls|\(userID.map(String.init) ?? "-")|\(timeStamp?.description ?? "-")|\(sfloats)|\(inKilopascal ? "kPa" : "mmHg")"
    }

    /// The readings this record is: the blood-pressure panel (85354-9: systolic 8480-6,
    /// diastolic 8462-4, mean 8478-0 only when measured) and, when the pulse rate was sent
    /// and is a number, a heart rate (8867-4).
    ///
    /// An irregular pulse gives the `irregular-heartbeat` flag; a pulse rate outside the
    /// monitor's range HI / LO on the heart rate. Body movement, a loose cuff or an improper
    /// position hold both readings for review (`device-warning`). Pressures in kPa are refused
    /// (the upload codes blood pressure in mm[Hg]; converting would not be exact). A record
    /// without a time stamp is refused: the time the gateway received it is not when it was
    /// measured.
    public func readings(profileID: String, serial: String, model: String) -> Result<[Reading], GATTReadingProblem> {
        guard !inKilopascal else { return .failure(.unsupportedUnit("kPa")) }
        guard let stamp = timeStamp else { return .failure(.noTime("the monitor sent no time stamp")) }
        guard let time = stamp.localDateTime else { return .failure(.noTime("time stamp \(stamp)")) }
        guard let sys = systolic.exact else { return .failure(.notAReading(what: "systolic pressure", systolic)) }
        guard let dia = diastolic.exact else { return .failure(.notAReading(what: "diastolic pressure", diastolic)) }
        var parts = [ReadingComponent(kind: .systolicPressure, value: sys, unit: "mm[Hg]"),
                     ReadingComponent(kind: .diastolicPressure, value: dia, unit: "mm[Hg]")]
        switch meanArterial {
        case let .value(mean): parts.append(ReadingComponent(kind: .meanPressure, value: mean, unit: "mm[Hg]"))
        case .notANumber: break   // not measured
        default: return .failure(.notAReading(what: "mean arterial pressure", meanArterial))
        }
        let s = status ?? Status(raw: 0)
        let flags: [ReadingFlag] = s.irregularPulse ? [.irregularHeartbeat] : []
        let hold = s.bodyMovement || s.cuffTooLoose || s.improperPosition
        var panel = Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey,
                            kind: .bloodPressure, code: "85354-9", value: sys, unit: "mm[Hg]", deviceTime: time,
                            flags: flags, raw: raw, components: parts)
        if hold { panel.valueHold = .deviceWarning }
        var out = [panel]
        if let pulse = pulseRate, pulse != .notANumber {
            guard let bpm = pulse.exact else { return .failure(.notAReading(what: "pulse rate", pulse)) }
            var pulseFlags = flags
            if s.pulseRateRange == 1 { pulseFlags.append(.aboveRange) }
            if s.pulseRateRange == 2 { pulseFlags.append(.belowRange) }
            var hr = Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey + "|pulse",
                             kind: .heartRate, code: "8867-4", value: bpm, unit: "/min", deviceTime: time,
                             flags: pulseFlags, raw: raw)
            if hold { hr.valueHold = .deviceWarning }
            out.append(hr)
        }
        return .success(out)
    }
}
