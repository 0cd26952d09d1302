import PocGateCore

/// Patient, order and result records of plain ASCII text, read by offset into the record
/// (`ASTMFieldIndex`) instead of through an `ASTMRecord`: the same answers as `result(_:)` and
/// the `P`/`O` cases of `consume(_:)` give for such a record, without splitting it into arrays
/// or building text to compare. A record with any byte ≥ 0x80 takes the general path, where
/// text is compared as Unicode characters.
extension ASTMTransfer {
    /// Whether every byte of `text` is ASCII.
    static func isASCII(_ text: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { t in
            var acc: UInt8 = 0
            for b in t { acc |= b }
            return acc < 0x80
        }
    }

    /// Component 1 of repeat 0 of field `n`, unescaped and trimmed, as a slice of `text`.
    private func value(_ text: [UInt8], _ n: Int, component: Int = 1, trimmed: Bool = true) -> ArraySlice<UInt8> {
        ASTMFieldIndex.value(text, fieldIndex.component(text, n, component: component, delimiters), delimiters, trimmed: trimmed)
    }

    /// A patient record's patient, of the results that follow (P field 3, else 4, else 5).
    mutating func asciiPatient(_ text: [UInt8]) -> String? {
        fieldIndex.index(text, field: delimiters.field)
        for n in [3, 4, 5] {
            let v = value(text, n)
            if !v.isEmpty { return String(decoding: v, as: UTF8.self) }
        }
        return nil
    }

    /// An order record: its time (O field 8, else 7) and whether it is a control (O field 12 `Q`).
    mutating func asciiOrder(_ text: [UInt8]) {
        fieldIndex.index(text, field: delimiters.field)
        orderTime = Self.time(bytes: value(text, 8, trimmed: false)) ?? Self.time(bytes: value(text, 7, trimmed: false))
        orderIsControl = ASTMFieldIndex.equals(value(text, 12), "Q")
    }

    /// `result(_:)` for a result record of ASCII text.
    mutating func asciiResult(_ text: [UInt8]) -> Result<Reading, ASTMProblem>? {
        fieldIndex.index(text, field: delimiters.field)
        var rawText: String { String(decoding: text, as: UTF8.self) }
        var status = ResultStatus.final
        var questionable = false
        if dialect == .e1394 {
            let s = value(text, 9)
            switch s.count == 1 ? s.first! : (s.isEmpty ? UInt8(ascii: "F") : 0) {
            case UInt8(ascii: "F"), UInt8(ascii: "R"), UInt8(ascii: "V"), UInt8(ascii: "Q"), UInt8(ascii: "M"): status = .final
            case UInt8(ascii: "P"), UInt8(ascii: "S"): status = .preliminary
            case UInt8(ascii: "C"): status = .corrected
            case UInt8(ascii: "W"): questionable = true
            case UInt8(ascii: "X"), UInt8(ascii: "I"), UInt8(ascii: "N"): return nil
            default: return .failure(.unknownStatus(rawText))
            }
        }
        var testID = ""
        for component in [4, 1, 2] {
            let v = value(text, 3, component: component)
            if !v.isEmpty { testID = String(decoding: v, as: UTF8.self); break }
        }
        guard let analyte = lookups.analyte(testID, analytes) else {
            return .failure(.unknownAnalyte(testID.isEmpty ? rawText : testID))
        }
        let unitText = String(decoding: value(text, 5), as: UTF8.self)
        guard let unit = lookups.ucum(unitText, analytes) else { return .failure(.unknownUnit(analyte: testID, unit: unitText)) }
        guard let coding = analyte.units.first(where: { $0.ucum == unit }) else { return .failure(.noCode(analyte.kind, unit: unit)) }

        var flags: UInt32 = 0
        var valueText = value(text, 4)
        let number: ExactDecimal
        if let first = valueText.first, first == UInt8(ascii: ">") || first == UInt8(ascii: "<") {
            flags |= first == UInt8(ascii: ">") ? ASTMFlagOrder.aboveRange : ASTMFlagOrder.belowRange
            valueText = valueText.dropFirst()
        }
        if ASTMFieldIndex.equalsIgnoringCase(valueText, "HI") || ASTMFieldIndex.equalsIgnoringCase(valueText, "HIGH")
            || ASTMFieldIndex.equalsIgnoringCase(valueText, "LO") || ASTMFieldIndex.equalsIgnoringCase(valueText, "LOW") {
            let high = valueText.first! | 0x20 == UInt8(ascii: "h")
            flags |= high ? ASTMFlagOrder.aboveRange : ASTMFlagOrder.belowRange
            guard dialect == .contour, unit == "mg/dL", let range = measuringRange else { return .failure(.noBound(rawText)) }
            number = high ? range.high : range.low
        } else {
            // A leading '+' is read as HL7 reads it (`+5.6` is 5.6); anything else must be a plain decimal.
            let digits = valueText.first == UInt8(ascii: "+") ? valueText.dropFirst() : valueText
            guard let v = parseExactDecimal(digits) else { return .failure(.badValue(rawText)) }
            number = v
        }

        // A time that is there but malformed is a problem: never replaced by another field's time.
        var resultTime: LocalDateTime?
        for n in [13, 12] {
            let t = value(text, n)
            guard !t.isEmpty else { continue }
            guard let parsed = Self.time(bytes: t) else { return .failure(.badTime(rawText)) }
            resultTime = parsed
            break
        }
        let time: LocalDateTime?
        switch dialect {
        case .contour:
            for n in [7, 8] {
                for marker in value(text, n, trimmed: false).split(separator: UInt8(ascii: "/")) where marker.count == 1 {
                    switch marker.first! {
                    case UInt8(ascii: ">"): flags |= ASTMFlagOrder.aboveRange
                    case UInt8(ascii: "<"): flags |= ASTMFlagOrder.belowRange
                    case UInt8(ascii: "B"): flags |= ASTMFlagOrder.beforeMeal
                    case UInt8(ascii: "A"): flags |= ASTMFlagOrder.afterMeal
                    case UInt8(ascii: "C"): flags |= ASTMFlagOrder.controlSolution
                    default: break
                    }
                }
            }
            let field9 = value(text, 9)
            if ASTMFieldIndex.equals(field9, "E") { flags |= ASTMFlagOrder.controlSolution }
            time = Self.time(bytes: field9) ?? resultTime ?? orderTime
        case .e1394:
            if let f = fieldIndex.field(7) {
                var rep = 0
                while let c = ASTMFieldIndex.component(text, in: f, repeat: rep, component: 1, delimiters) {
                    let v = ASTMFieldIndex.value(text, c, delimiters)
                    if ASTMFieldIndex.equals(v, "H") || ASTMFieldIndex.equals(v, "HH") { flags |= ASTMFlagOrder.abnormalHigh }
                    else if ASTMFieldIndex.equals(v, "L") || ASTMFieldIndex.equals(v, "LL") { flags |= ASTMFlagOrder.abnormalLow }
                    else if ASTMFieldIndex.equals(v, ">") { flags |= ASTMFlagOrder.aboveRange }
                    else if ASTMFieldIndex.equals(v, "<") { flags |= ASTMFlagOrder.belowRange }
                    rep += 1
                }
            }
            if orderIsControl { flags |= ASTMFlagOrder.controlSolution }
            time = resultTime ?? orderTime
        }
        guard let time else { return .failure(.noTime(rawText)) }
        return .success(reading(text, testID: testID, kind: analyte.kind, coding: coding, value: number, unit: unit,
                                time: time, flags: flags, status: status, questionable: questionable))
    }

    /// The reading of a result, with its record key
    /// (`time|kind|value|unit|flags[|loinc][|status]|occurrence`) and identity
    /// (`test|time|patient digest`) written once into the reused buffer.
    private mutating func reading(_ raw: [UInt8], testID: String, kind: ObservationKind, coding: AnalyteTable.UnitCoding,
                                  value: ExactDecimal, unit: String, time: LocalDateTime, flags: UInt32,
                                  status: ResultStatus, questionable: Bool) -> Reading {
        let loinc: String? = kind == .laboratory ? coding.loinc : nil
        let key = ASTMResultKey(time: time, kind: kind, value: value, unit: unit, flags: flags, loinc: loinc, status: status)
        let n = occurrenceCounts[key, default: 0]
        occurrenceCounts[key] = n + 1
        let sorted = ASTMFlagOrder.flags(flags)

        scratch.removeAll(keepingCapacity: true)
        scratch.appendTime(time); scratch.append(UInt8(ascii: "|"))
        scratch.appendText(kind.rawValue); scratch.append(UInt8(ascii: "|"))
        scratch.appendDecimal(value); scratch.append(UInt8(ascii: "|"))
        scratch.appendText(unit); scratch.append(UInt8(ascii: "|"))
        scratch.appendFlagNames(sorted)
        if let loinc { scratch.append(UInt8(ascii: "|")); scratch.appendText(loinc) }
        if status != .final { scratch.append(UInt8(ascii: "|")); scratch.appendText(status.rawValue) }
        scratch.append(UInt8(ascii: "|"))
        scratch.appendDecimal(n)
        let recordKey = String(decoding: scratch, as: UTF8.self)

        var reading = Reading(profileID: profileID, deviceSerial: serial ?? DecodedCapture.unknownSerial,
                              deviceModel: model ?? Self.unknownModel, recordKey: recordKey, kind: kind,
                              code: coding.loinc, value: value, unit: unit, deviceTime: time, flags: sorted, raw: raw,
                              patientID: patientID)
        reading.status = status
        if digestedPatient != patientID {
            patientDigest = patientID.map(HL7ORU.digest)
            digestedPatient = patientID
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.appendText(testID); scratch.append(UInt8(ascii: "|"))
        scratch.appendTime(time); scratch.append(UInt8(ascii: "|"))
        scratch.appendText(patientDigest ?? "-")
        reading.identity = String(decoding: scratch, as: UTF8.self)
        if questionable { reading.valueHold = .deviceWarning }
        return reading
    }
}
