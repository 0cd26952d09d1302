public import PocGateCore

/// Why an observation did not become a reading.
public enum IEEE11073ReadingProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The object measures something pocgate does not code.
    case unsupportedMeasurement(code: UInt16)
    /// The unit code is not one pocgate maps, or the kind cannot be coded in it.
    case unsupportedUnit(code: UInt16?, kind: ObservationKind)
    /// No value attribute pocgate decodes.
    case noValue
    /// The value is a special value (NaN, NRes, ±INF) or beyond exact storage.
    case notAReading(IEEE11073Number)
    /// No absolute time stamp, or one that is not a calendar date.
    case noTime(hex: String?)
    /// A compound value without the systolic and diastolic parts.
    case incompleteCompound(String)
    /// A value attribute shorter or longer than its type.
    case malformedValue(String)

    public var description: String {
        switch self {
        case let .unsupportedMeasurement(code): return "measurement code \(code) (partition SCADA) is not decoded by pocgate"
        case let .unsupportedUnit(code, kind):
            return "unit code \(code.map(String.init) ?? "missing") cannot be coded for \(kind.rawValue)"
        case .noValue: return "observation carries no numeric value pocgate decodes"
        case let .notAReading(n): return "value is \(n): not a reading"
        case let .noTime(hex): return hex.map { "time stamp \($0) is not a valid BCD date" } ?? "observation carries no absolute time stamp"
        case let .incompleteCompound(why): return "blood pressure: \(why)"
        case let .malformedValue(why): return "value attribute malformed: \(why)"
        }
    }
}

extension IEEE11073Observation {
    typealias N = IEEE11073Nomenclature

    /// The values and unit an observation carries (simple, compound, or with its own unit).
    struct Values {
        var numbers: [IEEE11073Number]
        var componentCodes: [UInt16]
        var unitCode: UInt16?
    }

    /// Decodes the value attributes present.
    func values() throws(IEEE11073ReadingProblem) -> Values? {
        for a in attributes {
            var r = MDERReader(a.value)
            do {
                switch a.id {
                case N.attrNuValObsBasic:
                    guard a.value.count == 2 else { throw IEEE11073ReadingProblem.malformedValue("SFLOAT of \(a.value.count) bytes") }
                    return Values(numbers: [.sfloat(try r.u16("SFLOAT"))], componentCodes: [], unitCode: nil)
                case N.attrNuValObsSimp:
                    guard a.value.count == 4 else { throw IEEE11073ReadingProblem.malformedValue("FLOAT of \(a.value.count) bytes") }
                    return Values(numbers: [.float(try r.u32("FLOAT"))], componentCodes: [], unitCode: nil)
                case N.attrNuCmpdValObsBasic, N.attrNuCmpdValObsSimp:
                    var (count, list) = try r.list("compound value")
                    var numbers: [IEEE11073Number] = []
                    for _ in 0..<count {
                        numbers.append(a.id == N.attrNuCmpdValObsBasic ? .sfloat(try list.u16("SFLOAT")) : .float(try list.u32("FLOAT")))
                    }
                    return Values(numbers: numbers, componentCodes: [], unitCode: nil)
                case N.attrNuValObs:
                    let metric = try r.u16("metric id")
                    _ = try r.u16("measurement state")
                    let unit = try r.u16("unit code")
                    return Values(numbers: [.float(try r.u32("FLOAT"))], componentCodes: [metric], unitCode: unit)
                case N.attrNuCmpdValObs:
                    var (count, list) = try r.list("compound value")
                    var v = Values(numbers: [], componentCodes: [], unitCode: nil)
                    for _ in 0..<count {
                        v.componentCodes.append(try list.u16("metric id"))
                        _ = try list.u16("measurement state")
                        v.unitCode = try list.u16("unit code")
                        v.numbers.append(.float(try list.u32("FLOAT")))
                    }
                    return v
                default:
                    continue
                }
            } catch let e as IEEE11073ReadingProblem {
                throw e
            } catch {
                throw .malformedValue("\(error)")
            }
        }
        return nil
    }

    /// The observation's absolute time stamp.
    func time() throws(IEEE11073ReadingProblem) -> IEEE11073Time {
        guard let bytes = attribute(N.attrTimeStampAbs) else { throw .noTime(hex: nil) }
        guard let t = IEEE11073Time(bcd: bytes) else { throw .noTime(hex: Hex.string(bytes)) }
        return t
    }

    /// The reading this observation is, for `object` of the agent's configuration.
    ///
    /// `occurrence` counts earlier observations with the same content in this session, so two
    /// identical measurements keep distinct keys; the key itself is built from what was
    /// measured (code, person, time to the hundredth, values, unit), never from a handle or
    /// a memory position.
    public func reading(object: IEEE11073Configuration.Object, profileID: String, serial: String, model: String,
                        occurrences: inout [String: Int]) -> Result<Reading, IEEE11073ReadingProblem> {
        var keyText: [UInt8] = []
        return reading(object: object, profileID: profileID, serial: serial, model: model, keyText: &keyText) { text in
            let tuple = String(decoding: text, as: UTF8.self)
            let n = occurrences[tuple, default: 0]
            occurrences[tuple] = n + 1
            return n
        }
    }

    /// `reading(object:profileID:serial:model:occurrences:)` with the key's text written into
    /// `keyText` (a buffer reused from reading to reading) and its occurrence counted by
    /// `occurrence`, which is given the text of the key without its occurrence.
    func reading(object: IEEE11073Configuration.Object, profileID: String, serial: String, model: String,
                 keyText: inout [UInt8], occurrence: ([UInt8]) -> Int) -> Result<Reading, IEEE11073ReadingProblem> {
        do throws(IEEE11073ReadingProblem) {
            guard let kind = N.kind(of: object.typeCode) else { throw .unsupportedMeasurement(code: object.typeCode) }
            guard let values = try values() else { throw .noValue }
            let unitCode = values.unitCode ?? attribute(N.attrUnitCode).flatMap { $0.count == 2 ? UInt16($0[0]) << 8 | UInt16($0[1]) : nil } ?? object.unitCode
            guard let unit = unitCode.flatMap(N.ucum), let code = kind.loincCode(unit: unit) else {
                throw .unsupportedUnit(code: unitCode, kind: kind)
            }
            let time = try time()
            var components: [ReadingComponent] = []
            let value: ExactDecimal
            if kind == .bloodPressure {
                let codes = values.componentCodes.count == values.numbers.count ? values.componentCodes : object.componentCodes
                guard codes.count == values.numbers.count else {
                    throw .incompleteCompound("\(values.numbers.count) values for \(codes.count) component codes")
                }
                var parts: [ObservationKind: ExactDecimal] = [:]
                for (c, number) in zip(codes, values.numbers) {
                    guard let part = N.pressureComponent(c) else { continue }
                    if part == .meanPressure, number == .notANumber { continue }   // mean not measured
                    guard let v = number.exact else { throw .notAReading(number) }
                    parts[part] = v
                }
                guard let systolic = parts[.systolicPressure], let diastolic = parts[.diastolicPressure] else {
                    throw .incompleteCompound("systolic or diastolic value missing")
                }
                components = [ReadingComponent(kind: .systolicPressure, value: systolic, unit: unit),
                              ReadingComponent(kind: .diastolicPressure, value: diastolic, unit: unit)]
                if let mean = parts[.meanPressure] { components.append(ReadingComponent(kind: .meanPressure, value: mean, unit: unit)) }
                value = systolic
            } else {
                guard let first = values.numbers.first else { throw .noValue }
                guard let v = first.exact else { throw .notAReading(first) }
                value = v
            }
            // code|person|time with hundredths|value or values joined by "/"|unit|occurrence
            keyText.removeAll(keepingCapacity: true)
            keyText.appendDecimal(object.typeCode)
            keyText.append(UInt8(ascii: "|"))
            if let personID { keyText.appendDecimal(personID) } else { keyText.append(UInt8(ascii: "-")) }
            keyText.append(UInt8(ascii: "|"))
            keyText.appendTime(time.dateTime)
            keyText.append(UInt8(ascii: "."))
            keyText.appendDecimal(time.hundredths, width: 2)
            keyText.append(UInt8(ascii: "|"))
            if components.isEmpty {
                keyText.appendDecimal(value)
            } else {
                for (i, c) in components.enumerated() {
                    if i > 0 { keyText.append(UInt8(ascii: "/")) }
                    keyText.appendDecimal(c.value)
                }
            }
            keyText.append(UInt8(ascii: "|"))
            keyText.appendText(unit)
            let n = occurrence(keyText)
            keyText.append(UInt8(ascii: "|"))
            keyText.appendDecimal(n)
            return .success(Reading(profileID: profileID, deviceSerial: serial, deviceModel: model,
                                    recordKey: String(decoding: keyText, as: UTF8.self),
                                    kind: kind, code: code, value: value, unit: unit, deviceTime: time.dateTime, flags: [],
                                    raw: raw, components: components))
        } catch {
            return .failure(error)
        }
    }
}
