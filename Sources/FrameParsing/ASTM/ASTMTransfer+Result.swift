import PocGateCore

extension ASTMTransfer {
    /// A result record as a reading, or the reason it is not one.
    mutating func result(_ r: ASTMRecord) -> Result<Reading, ASTMProblem> {
        let rawText = String(decoding: r.raw, as: UTF8.self)
        let analyte = [4, 1, 2].lazy.map { r.text(3, component: $0).trimmed }.first { !$0.isEmpty } ?? ""
        guard let kind = ASTMAnalyte.kind(analyte) else { return .failure(.unknownAnalyte(analyte.isEmpty ? rawText : analyte)) }
        let unitText = r.text(5).trimmed
        guard let unit = ASTMAnalyte.ucum(unitText) else { return .failure(.unknownUnit(analyte: analyte, unit: unitText)) }
        guard let code = kind.loincCode(unit: unit) else { return .failure(.noCode(kind, unit: unit)) }

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
            guard let v = ExactDecimal(parsing: valueText) else { return .failure(.badValue(rawText)) }
            value = v
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
            time = Self.time(r.text(9)) ?? Self.time(r.text(13)) ?? Self.time(r.text(12)) ?? orderTime
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
            time = Self.time(r.text(13)) ?? Self.time(r.text(12)) ?? orderTime
        }
        guard let time else { return .failure(.noTime(rawText)) }

        let sorted = flags.sorted()
        let tuple = "\(time)|\(kind.rawValue)|\(value)|\(unit)|\(sorted.map(\.rawValue).joined(separator: ","))"
        let n = occurrences[tuple, default: 0]
        occurrences[tuple] = n + 1
        return .success(Reading(profileID: profileID, deviceSerial: serial ?? DecodedCapture.unknownSerial,
                                deviceModel: model ?? Self.unknownModel, recordKey: "\(tuple)|\(n)", kind: kind, code: code,
                                value: value, unit: unit, deviceTime: time, flags: sorted, raw: r.raw, patientID: patientID))
    }
}
