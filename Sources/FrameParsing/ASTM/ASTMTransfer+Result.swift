import PocGateCore

extension ASTMTransfer {
    /// A result record as a reading, the reason it is not one, or nil when it is not a result
    /// at all (R.9 `X` cannot be done, `I` pending, `N` information for a new order).
    ///
    /// The analyte and its LOINC code and UCUM unit come from the profile's analyte tables
    /// (`analytes`), never from code. E1394 result status (field 9; not in the Contour dialect,
    /// whose field 9 is the time): F, R (previously transmitted), V (operator verified),
    /// Q (answer to a query), M (an MIC level) or empty → final; P, S → preliminary;
    /// C → a correction of the earlier result with the same test and time; W (validity
    /// questionable, the device's own warning) → stored and held for a person to look at.
    mutating func result(_ r: ASTMRecord) -> Result<Reading, ASTMProblem>? {
        let rawText = String(decoding: r.raw, as: UTF8.self)
        var status = ResultStatus.final
        var questionable = false
        if dialect == .e1394 {
            switch r.text(9).trimmed {
            case "", "F", "R", "V", "Q", "M": status = .final
            case "P", "S": status = .preliminary
            case "C": status = .corrected
            case "W": questionable = true
            case "X", "I", "N": return nil
            default: return .failure(.unknownStatus(rawText))
            }
        }
        let testID = [4, 1, 2].lazy.map { r.text(3, component: $0).trimmed }.first { !$0.isEmpty } ?? ""
        guard let analyte = analytes.analyte(named: testID) else {
            return .failure(.unknownAnalyte(testID.isEmpty ? rawText : testID))
        }
        let unitText = r.text(5).trimmed
        guard let unit = analytes.ucum(unitText) else { return .failure(.unknownUnit(analyte: testID, unit: unitText)) }
        guard let coding = analyte.units.first(where: { $0.ucum == unit }) else { return .failure(.noCode(analyte.kind, unit: unit)) }

        var flags = Set<ReadingFlag>()
        var valueText = r.text(4).trimmed
        let value: ExactDecimal
        if let first = valueText.first, first == ">" || first == "<" {
            flags.insert(first == ">" ? .aboveRange : .belowRange)
            valueText.removeFirst()
        }
        switch valueText.uppercased() {
        case "HI", "HIGH", "LO", "LOW":
            let high = valueText.uppercased().hasPrefix("H")
            flags.insert(high ? .aboveRange : .belowRange)
            guard dialect == .contour, unit == "mg/dL", let range = measuringRange else { return .failure(.noBound(rawText)) }
            value = high ? range.high : range.low
        default:
            // A leading '+' is read as HL7 reads it (`+5.6` is 5.6); anything else must be a plain decimal.
            let digits = valueText.hasPrefix("+") ? String(valueText.dropFirst()) : valueText
            guard let v = ExactDecimal(parsing: digits) else { return .failure(.badValue(rawText)) }
            value = v
        }

        // A time that is there but malformed is a problem: never replaced by another field's time.
        var resultTime: LocalDateTime?
        for field in [13, 12] {
            let text = r.text(field).trimmed
            guard !text.isEmpty else { continue }
            guard let t = Self.time(text) else { return .failure(.badTime(rawText)) }
            resultTime = t
            break
        }
        let time: LocalDateTime?
        switch dialect {
        case .contour:
            for marker in (r.text(7) + "/" + r.text(8)).split(separator: "/") {
                switch marker {
                case ">": flags.insert(.aboveRange)
                case "<": flags.insert(.belowRange)
                case "B": flags.insert(.beforeMeal)
                case "A": flags.insert(.afterMeal)
                case "C": flags.insert(.controlSolution)
                default: break
                }
            }
            if r.text(9).trimmed == "E" { flags.insert(.controlSolution) }
            time = Self.time(r.text(9)) ?? resultTime ?? orderTime
        case .e1394:
            for rep in r.repeats(7) {
                switch String(decoding: rep.first ?? [], as: UTF8.self).trimmed {
                case "H", "HH": flags.insert(.abnormalHigh)
                case "L", "LL": flags.insert(.abnormalLow)
                case ">": flags.insert(.aboveRange)
                case "<": flags.insert(.belowRange)
                default: break
                }
            }
            if orderIsControl { flags.insert(.controlSolution) }
            time = resultTime ?? orderTime
        }
        guard let time else { return .failure(.noTime(rawText)) }

        let sorted = flags.sorted()
        var tuple = "\(time)|\(analyte.kind.rawValue)|\(value)|\(unit)|\(sorted.map(\.rawValue).joined(separator: ","))"
        if analyte.kind == .laboratory { tuple += "|" + coding.loinc }
        if status != .final { tuple += "|" + status.rawValue }
        // Counted with the results of ASCII records (`asciiResult`), by the same parts.
        let key = ASTMResultKey(time: time, kind: analyte.kind, value: value, unit: unit,
                                flags: flags.reduce(0) { $0 | ASTMFlagOrder.bit($1) },
                                loinc: analyte.kind == .laboratory ? coding.loinc : nil, status: status)
        let n = occurrenceCounts[key, default: 0]
        occurrenceCounts[key] = n + 1
        var reading = Reading(profileID: profileID, deviceSerial: serial ?? DecodedCapture.unknownSerial,
                              deviceModel: model ?? Self.unknownModel, recordKey: "\(tuple)|\(n)", kind: analyte.kind,
                              code: coding.loinc, value: value, unit: unit, deviceTime: time, flags: sorted, raw: r.raw,
                              patientID: patientID)
        reading.status = status
        reading.identity = "\(testID)|\(time)|\(patientID.map(HL7ORU.digest) ?? "-")"
        if questionable { reading.valueHold = .deviceWarning }
        return .success(reading)
    }
}
