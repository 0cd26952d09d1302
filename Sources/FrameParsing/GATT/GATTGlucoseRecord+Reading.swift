public import PocGateCore

extension GATTGlucoseRecord {
    /// The record key: the sequence number and the base time as sent. A value BlueZ hands over
    /// twice (a read and a notification, or a second subscriber), or a record reported again
    /// by a later "report stored records", gives the same key, so the store keeps it once.
    public var recordKey: String { "gls|\(sequenceNumber)|\(baseTime)" }

    /// The reading this record is, with the flags of its context when one arrived (meal →
    /// before-meal, after-meal, fasting, bedtime; health → illness, stress, menses).
    ///
    /// mg/dL from kg/L × 100 000, mmol/L from mol/L × 1 000, exactly. Capillary and
    /// undetermined samples are coded 41653-7 / 14743-9; venous or arterial whole blood
    /// 2339-0 / 15074-8, venous or arterial plasma 2345-7 / 14749-6. A control-solution test (type 10 or sample location 4) is kept with the
    /// `control-solution` flag, as for every meter. Results the meter marks as above or below
    /// what it can measure get the HI / LO flag; a sensor fault, strip error, temperature out
    /// of range or time fault holds the value for review (`device-warning`).
    public func reading(context: GATTGlucoseContext? = nil, profileID: String, serial: String,
                        model: String) -> Result<Reading, GATTReadingProblem> {
        if let context, context.sequenceNumber != sequenceNumber {
            return .failure(.contextMismatch(measurement: sequenceNumber, context: context.sequenceNumber))
        }
        guard let c = concentration else { return .failure(.noValue("glucose concentration")) }
        let number = c.meterValue
        guard let value = number.exact else { return .failure(.notAReading(what: "glucose concentration", number)) }
        guard let time = userFacingTime else { return .failure(.noTime("base time \(baseTime)")) }
        var flags = context?.readingFlags ?? []
        let code: String
        if let type = SampleType(rawValue: c.type), let pair = type.loinc {
            code = c.molar ? pair.molar : pair.mass
        } else if c.type == SampleType.controlSolution.rawValue {
            code = c.molar ? "14743-9" : "41653-7"
            flags.append(.controlSolution)
        } else {
            return .failure(.unsupportedSampleType(c.type))
        }
        if c.sampleLocation == SampleLocation.controlSolution, !flags.contains(.controlSolution) { flags.append(.controlSolution) }
        let status = sensorStatus ?? 0
        if status & SensorStatus.resultTooHigh != 0 { flags.append(.aboveRange) }
        if status & SensorStatus.resultTooLow != 0 { flags.append(.belowRange) }
        var reading = Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey,
                              kind: .glucose, code: code, value: value, unit: c.meterUnit, deviceTime: time,
                              flags: flags, raw: raw + (context?.raw ?? []))
        if status & SensorStatus.questionable != 0 { reading.valueHold = .deviceWarning }
        return .success(reading)
    }
}
