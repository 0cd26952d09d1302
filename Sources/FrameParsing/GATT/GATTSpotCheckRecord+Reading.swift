public import PocGateCore

extension GATTSpotCheckRecord {
    /// The record key: no sequence number, so the time stamp and the SpO2 and PR SFLOATs as
    /// sent.
    public var recordKey: String {
        "plxs|\(timeStamp?.description ?? "-")|\(String(spO2SFLOAT, radix: 16))|\(String(pulseRateSFLOAT, radix: 16))"
    }

    /// The readings: oxygen saturation (59408-5, %) and, when PR is a number, the pulse
    /// (8867-4, /min).
    ///
    /// Refused: a device whose clock is not set (flag bit 4), a record without a usable time
    /// stamp, demonstration or testing data, a measurement marked unavailable or invalid.
    /// Held for review (`device-warning`): a measurement still ongoing, an early estimate,
    /// calibration ongoing, a questionable measurement, or any device and sensor status bit
    /// from 1 to 15.
    public func readings(profileID: String, serial: String, model: String) -> Result<[Reading], GATTReadingProblem> {
        guard !clockNotSet else { return .failure(.clockNotSet) }
        let status = measurementStatus ?? 0
        if status & MeasurementStatus.refused != 0 {
            var why: [String] = []
            if status & MeasurementStatus.demonstration != 0 { why.append("data for demonstration") }
            if status & MeasurementStatus.testing != 0 { why.append("data for testing") }
            if status & MeasurementStatus.unavailable != 0 { why.append("measurement unavailable") }
            if status & MeasurementStatus.invalid != 0 { why.append("invalid measurement detected") }
            return .failure(.notPatientMeasurement(why.joined(separator: ", ")))
        }
        guard let stamp = timeStamp else { return .failure(.noTime("the oximeter sent no time stamp")) }
        guard let time = stamp.localDateTime else { return .failure(.noTime("time stamp \(stamp)")) }
        guard let saturation = spO2.exact else { return .failure(.notAReading(what: "SpO2", spO2)) }
        let hold = status & MeasurementStatus.held != 0 || (deviceAndSensorStatus ?? 0) & Self.deviceStatusHeld != 0
        var spo2 = Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey,
                           kind: .oxygenSaturation, code: "59408-5", value: saturation, unit: "%", deviceTime: time,
                           flags: [], raw: raw)
        if hold { spo2.valueHold = .deviceWarning }
        var out = [spo2]
        if pulseRate != .notANumber {
            guard let bpm = pulseRate.exact else { return .failure(.notAReading(what: "PR", pulseRate)) }
            var pr = Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey + "|pulse",
                             kind: .heartRate, code: "8867-4", value: bpm, unit: "/min", deviceTime: time, flags: [], raw: raw)
            if hold { pr.valueHold = .deviceWarning }
            out.append(pr)
        }
        return .success(out)
    }
}
