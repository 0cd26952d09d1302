internal import PocGateCore
internal import Store

/// What an Observation says about the device's own codes, times and amendments: the codings
/// as sent, the effective time with the device's UTC offset, and the conditional update that
/// carries a correction or withdrawal to the center.
extension FHIRMapper {
    /// A conditional update (`PUT Observation?identifier=…`) of the Observation an earlier
    /// reading created: a correction or withdrawal replaces it at the center, whose identifier
    /// it carries (docs/CODES.md "Corrections").
    func update(fullURL: String, type: String, resource: JSONText, system: String, value: String) -> JSONText {
        .object([
            "fullUrl": .string(fullURL),
            "resource": resource,
            "request": .object([
                "method": .string("PUT"),
                "url": .string(type + "?" + Self.identifierQuery(system: system, value: value)),
            ]),
        ])
    }

    /// The business identifier value of a stored reading: the amended reading's for a
    /// correction or withdrawal (the center updates that Observation), else its own.
    static func identifierValue(_ row: StoredReading) -> String {
        guard let amended = row.amendsRecordKey else { return identifierValue(row.reading) }
        return row.reading.deviceSerial + "/" + amended
    }

    /// `effectiveDateTime`, with the precision the device wrote: a year, month or day alone as
    /// that date (no zone, never corrected); else the time with the UTC offset the device wrote
    /// (HL7 `+ZZZZ`) when it wrote one and the time was not corrected for clock skew, else in
    /// the configured zone, and a fraction of a second as sent.
    func effectiveDateTime(_ row: StoredReading) -> String {
        let precision = row.reading.timePrecision
        if let precision, precision.isDateOnly { return precision.text(row.reading.deviceTime) }
        let fraction: String
        if case let .fraction(digits) = precision { fraction = "." + digits } else { fraction = "" }
        if let offset = row.reading.utcOffsetSeconds, row.effectiveTime == row.reading.deviceTime {
            return row.reading.deviceTime.description + fraction + FHIRTime.offsetText(seconds: offset)
        }
        return row.effectiveTime.description + fraction + FHIRTime.offsetText(seconds: time.offsetSeconds(at: row.effectiveTime))
    }

    /// `Observation.code.coding`: an MDC code the device sent, then the LOINC code as sent (or
    /// its unit partner after a conversion), then the code the kind's vital-signs profile
    /// requires when it is not already there. A device MDC code of a vital sign is followed by
    /// that profile's code only.
    static func codings(_ reading: Reading, sent: UploadQuantity) -> [JSONText] {
        var out: [JSONText] = []
        var loinc: [(code: String, display: String?)] = []
        if let mdc = DeviceCode.mdc(reading.code) {
            out.append(.object(["system": .string(FHIRVitalSigns.mdcSystem), "code": .string(mdc)]))
            if let required = FHIRVitalSigns.requiredCode(reading.kind) {
                loinc.append((required.code, required.display))
            } else if !sent.code.isEmpty, !sent.code.hasPrefix(DeviceCode.mdcPrefix) {
                loinc.append((sent.code, sent.display))
            }
        } else {
            loinc.append((sent.code, sent.display))
        }
        for (code, display) in loinc {
            var coding: [String: JSONText] = ["system": .string(loincSystem), "code": .string(code)]
            if let display { coding["display"] = .string(display) }
            out.append(.object(coding))
        }
        for extra in FHIRVitalSigns.extraCodings(reading.kind, sentLOINC: loinc.first?.code)
        where !loinc.contains(where: { $0.code == extra.code }) {
            out.append(.object(["system": .string(extra.system), "code": .string(extra.code), "display": .string(extra.display)]))
        }
        return out
    }
}
