import PocGateCore

extension HL7ORU {
    /// One OBX as an item of its OBR group, or nil when it is not a result, was not measured
    /// or is a problem (recorded with its bytes).
    mutating func item(_ obx: HL7Segment, obrTime: HL7Timestamp.Zoned?) -> Item? {
        let setID = obx.text(1)
        let raw = Array(obx.line)
        let status: ResultStatus
        switch HL7ResultStatus.read(obx.trimmedText(11)) {
        case let .result(s): status = s
        case .notAResult: notResults += 1; return nil
        case .unknown: problem(.unknownStatus(setID: setID, status: obx.text(11)), raw); return nil
        }
        let observation = HL7CodedElement(obx, field: 3)
        let identifier = observation.identifier, system = observation.system
        var tableUnits: [String]?
        var found = HL7ObservationCode.of(observation)
        if found == nil, system == "LN" || system == "LOINC" || system.isEmpty, let coding = analytes.coding(loinc: identifier) {
            found = .kind(coding.analyte.kind)
            tableUnits = coding.analyte.units.filter { $0.loinc == identifier }.map(\.ucum)
        }
        guard let code = found else {
            problem(.unknownCode(setID: setID, code: obx.components(3).prefix(3).joined(separator: "^")), raw)
            return nil
        }
        let notMeasuredValue = obx.componentsAreBlank(5)
        if notMeasuredValue {
            notMeasured += 1
            return nil
        }
        let value: HL7Value
        switch HL7Value.read(obx, type: obx.trimmedText(2)) {
        case let .success(v): value = v
        case let .failure(p): problem(p, raw); return nil
        }
        let kindName: String
        var fallback = ""
        switch code {
        case let .kind(k): kindName = k.rawValue
        case .ecgLead: kindName = "an ECG lead"
        case .samplingRate: kindName = "a sampling rate"
        }
        guard let unit = HL7Unit.ucum(HL7CodedElement(obx, field: 6)) else {
            problem(.unknownUnit(setID: setID, unit: obx.components(6).prefix(3).joined(separator: "^"), kind: kindName), raw)
            return nil
        }
        if case let .kind(k) = code { fallback = tableUnits == nil ? k.loincCode(unit: unit) ?? "" : identifier }
        var flags: [ReadingFlag] = []
        for r in 0..<obx.repetitionCount(8) {
            switch obx.text(8, repetition: r) {
            case "H", "HH": flags.append(.abnormalHigh)
            case "L", "LL": flags.append(.abnormalLow)
            case ">": flags.append(.aboveRange)
            case "<": flags.append(.belowRange)
            default: break
            }
        }
        switch value {
        case .above: flags.append(.aboveRange)
        case .below: flags.append(.belowRange)
        case .number, .array: break
        }
        let timeText = obx.trimmedText(14)
        let time: HL7Timestamp.Zoned?
        if timeText.isEmpty {
            time = obrTime
        } else {
            guard let t = HL7Timestamp.parseZoned(timeText) else {
                problem(.badTime(setID: setID, text: timeText), raw)
                return nil
            }
            time = t
        }
        let siteText = obx.trimmedText(20, component: 2), siteCode = obx.trimmedText(20, component: 1)
        let site = !siteText.isEmpty ? siteText : siteCode.isEmpty ? nil : siteCode
        return Item(setID: setID, subID: obx.trimmedText(4), code: code,
                    sentCode: HL7ObservationCode.sentCode(observation, fallback: fallback), value: value, unit: unit,
                    flags: flags.isEmpty ? [] : Array(Set(flags)).sorted(), time: time, status: status, bodySite: site, raw: raw,
                    tableUnits: tableUnits)
    }
}
