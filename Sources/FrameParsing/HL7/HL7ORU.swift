public import PocGateCore

/// An ORU^R01 observation-result message turned into readings.
///
/// - PID-3: the patient identifier (the repetition that is an 18-character resident identity
///   number, else the first), written to every reading of the message.
/// - Each OBR opens a group; its OBX rows are its results. OBX-14 (else OBR-7) is the time.
/// - Systolic, diastolic and (when sent) mean pressure of one group become one
///   `bloodPressure` reading with components, value = systolic.
/// - ECG lead arrays (NA) of one group become one `ecgWaveform` reading, with the group's
///   `MDC_ATTR_SAMP_RATE`.
/// - Every other known OBX is one reading. OBX-11 `X`, `D` or `W` (no result, deleted, wrong)
///   is skipped.
///
/// The record key is built from the content (time, kind, values, flags, a digest of the
/// patient id, occurrence), so a re-sent message gives the same keys, whatever its MSH-10.
public struct HL7ORU: Sendable {
    /// The readings the message gave.
    public var readings: [Reading] = []
    /// The results that could not become readings.
    public var problems: [HL7ResultProblem] = []
    /// The device as MSH-3/MSH-4 name it, control characters escaped and cut to
    /// `DeviceText.maximumIdentityLength` (`identityProblems` says when).
    public var deviceSerial: String
    public var deviceModel: String
    /// What was changed in the serial or model to keep it (escaped control characters, a cut).
    public var identityProblems: [String] = []
    /// PID-3 as chosen (never log it unmasked).
    public var patientID: String?

    /// Interprets `message`, or rejects it as a whole.
    public static func interpret(_ message: HL7Message, profileID: String) -> Result<HL7ORU, HL7Rejection> {
        let type = message.messageType
        guard type.code == "ORU", type.event == "R01" else {
            return .failure(.unsupportedMessageType(message.header.components(9).prefix(2).joined(separator: "^")))
        }
        guard !message.controlID.isEmpty else { return .failure(.noControlID) }
        var oru = HL7ORU(message: message)
        oru.collect(message, profileID: profileID)
        return .success(oru)
    }

    /// Parses and interprets an MLLP payload.
    public static func interpret(payload: [UInt8], profileID: String) -> Result<(HL7Message, HL7ORU), HL7Rejection> {
        let message: HL7Message
        do { message = try HL7Message(parsing: payload) } catch { return .failure(.unparsable(error)) }
        return interpret(message, profileID: profileID).map { (message, $0) }
    }

    private init(message: HL7Message) {
        let h = message.header
        let app = h.text(3, component: 1), universal = h.text(3, component: 2), facility = h.text(4, component: 1)
        let serial = DeviceText.identity(!universal.isEmpty ? universal : !facility.isEmpty ? facility : !app.isEmpty ? app : DecodedCapture.unknownSerial,
                                         what: "serial")
        let model = DeviceText.identity(app.isEmpty ? "HL7 device" : app, what: "model")
        deviceSerial = serial.text
        deviceModel = model.text
        identityProblems = [serial.problem, model.problem].compactMap { $0 }
    }

    /// One OBX ready to map.
    private struct Item {
        var setID: String
        var code: HL7ObservationCode
        var value: HL7Value
        var unit: String
        var flags: [ReadingFlag]
        var time: LocalDateTime?
        var raw: [UInt8]
    }

    private mutating func collect(_ message: HL7Message, profileID: String) {
        var group: [Item] = []
        var obrID = ""
        var obrTime: LocalDateTime?
        var occurrences: [String: Int] = [:]
        for segment in message.segments {
            switch segment.id {
            case "PID":
                flush(&group, obrID, profileID, &occurrences)
                patientID = Self.patient(segment)
            case "OBR":
                flush(&group, obrID, profileID, &occurrences)
                obrID = segment.text(1)
                obrTime = HL7Timestamp.parse(segment.text(7))
            case "OBX":
                if let item = item(segment, obrTime: obrTime) { group.append(item) }
            default:
                break
            }
        }
        flush(&group, obrID, profileID, &occurrences)
    }

    /// PID-3: the repetition that looks like a resident identity number, else the first non-empty.
    static func patient(_ pid: HL7Segment) -> String? {
        let ids = (0..<pid.repetitions(3).count).map { pid.text(3, repetition: $0).trimmingSpaces }.filter { !$0.isEmpty }
        return ids.first(where: isResidentIDShape) ?? ids.first
    }

    static func isResidentIDShape(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count == 18 && u[0..<17].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && (u[17] >= 0x30 && u[17] <= 0x39 || u[17] == UInt8(ascii: "X") || u[17] == UInt8(ascii: "x"))
    }

    private mutating func item(_ obx: HL7Segment, obrTime: LocalDateTime?) -> Item? {
        let setID = obx.text(1)
        if ["X", "D", "W"].contains(obx.text(11)) { return nil }
        guard let code = HL7ObservationCode.of(obx) else {
            problems.append(.unknownCode(setID: setID, code: obx.components(3).prefix(3).joined(separator: "^")))
            return nil
        }
        let value: HL7Value
        switch HL7Value.read(obx, type: obx.text(2).trimmingSpaces) {
        case let .success(v): value = v
        case let .failure(p): problems.append(p); return nil
        }
        let kindName: String
        switch code {
        case let .kind(k): kindName = k.rawValue
        case .ecgLead: kindName = "an ECG lead"
        case .samplingRate: kindName = "a sampling rate"
        }
        guard let unit = HL7Unit.ucum(obx) else {
            problems.append(.unknownUnit(setID: setID, unit: obx.components(6).prefix(3).joined(separator: "^"), kind: kindName))
            return nil
        }
        var flags: [ReadingFlag] = []
        for r in 0..<obx.repetitions(8).count {
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
        let raw = Array(obx.line)
        let time = HL7Timestamp.parse(obx.text(14)) ?? obrTime
        return Item(setID: setID, code: code, value: value, unit: unit, flags: Array(Set(flags)).sorted(), time: time, raw: raw)
    }

    /// Turns one OBR group into readings.
    private mutating func flush(_ group: inout [Item], _ obrID: String, _ profileID: String, _ occurrences: inout [String: Int]) {
        defer { group = [] }
        guard !group.isEmpty else { return }
        var pressure: [ObservationKind: Item] = [:]
        var leads: [(String, Item)] = []
        var rate: Item?
        for item in group {
            switch item.code {
            case let .kind(k) where Self.pressureKinds.contains(k): pressure[k] = item
            case let .ecgLead(name): leads.append((name, item))
            case .samplingRate: rate = item
            case .kind: break
            }
        }
        // Readings in message order: a panel or waveform where its first OBX stands.
        var pressureDone = false, waveformDone = false
        for item in group {
            switch item.code {
            case let .kind(k) where Self.pressureKinds.contains(k):
                if !pressureDone { pressureDone = true; bloodPressure(pressure, obrID, profileID, &occurrences) }
            case let .kind(k):
                single(item, k, profileID, &occurrences)
            case .ecgLead:
                if !waveformDone { waveformDone = true; waveform(leads, rate, obrID, profileID, &occurrences) }
            case .samplingRate:
                break
            }
        }
    }

    private static let pressureKinds: Set<ObservationKind> = [.systolicPressure, .diastolicPressure, .meanPressure]

    private mutating func single(_ item: Item, _ kind: ObservationKind, _ profileID: String, _ occurrences: inout [String: Int]) {
        let value: ExactDecimal
        switch item.value {
        case let .number(v), let .above(v), let .below(v): value = v
        case .array:
            problems.append(.arrayWithoutLead(setID: item.setID))
            return
        }
        guard let code = kind.loincCode(unit: item.unit) else {
            problems.append(.unknownUnit(setID: item.setID, unit: item.unit, kind: kind.rawValue))
            return
        }
        guard let time = item.time else { problems.append(.noTime(setID: item.setID)); return }
        let key = recordKey(time, kind, [value], item.flags, &occurrences)
        readings.append(Reading(profileID: profileID, deviceSerial: deviceSerial, deviceModel: deviceModel, recordKey: key,
                                kind: kind, code: code, value: value, unit: item.unit, deviceTime: time, flags: item.flags,
                                raw: item.raw, patientID: patientID))
    }

    private mutating func bloodPressure(_ parts: [ObservationKind: Item], _ obrID: String, _ profileID: String,
                                        _ occurrences: inout [String: Int]) {
        guard let sys = parts[.systolicPressure], let dia = parts[.diastolicPressure] else {
            problems.append(.incompleteBloodPressure(obr: obrID))
            return
        }
        var components: [ReadingComponent] = []
        var flags: Set<ReadingFlag> = []
        var raw: [UInt8] = []
        for kind in [ObservationKind.systolicPressure, .diastolicPressure, .meanPressure] {
            guard let item = parts[kind] else { continue }
            guard case let .number(v) = item.value else {
                problems.append(.valueShape(setID: item.setID, why: "a blood-pressure value must be exact, not a bound or an array"))
                return
            }
            guard let code = kind.loincCode(unit: item.unit) else {
                problems.append(.unknownUnit(setID: item.setID, unit: item.unit, kind: kind.rawValue))
                return
            }
            components.append(ReadingComponent(kind: kind, code: code, value: v, unit: item.unit))
            flags.formUnion(item.flags)
            if !raw.isEmpty { raw.append(MLLPBlock.carriageReturn) }
            raw += item.raw
        }
        guard let time = sys.time ?? dia.time else { problems.append(.noTime(setID: sys.setID)); return }
        let sorted = flags.sorted()
        let key = recordKey(time, .bloodPressure, components.map(\.value), sorted, &occurrences)
        readings.append(Reading(profileID: profileID, deviceSerial: deviceSerial, deviceModel: deviceModel, recordKey: key,
                                kind: .bloodPressure, code: ObservationKind.bloodPressure.loincCode(unit: "mm[Hg]") ?? "",
                                value: components[0].value, unit: "mm[Hg]", deviceTime: time, flags: sorted, raw: raw,
                                patientID: patientID, components: components))
    }

    private mutating func waveform(_ leads: [(String, Item)], _ rate: Item?, _ obrID: String, _ profileID: String,
                                   _ occurrences: inout [String: Int]) {
        guard let rate, case let .number(hz) = rate.value, rate.unit == "Hz" || rate.unit.isEmpty,
              let period = HL7Waveform.periodMillis(hertz: hz) else {
            problems.append(.waveformWithoutRate(obr: obrID))
            return
        }
        switch HL7Waveform.build(leads.map { ($0.0, $0.1.value, $0.1.unit, $0.1.setID) }, periodMillis: period) {
        case let .failure(p): problems.append(p)
        case let .success(wave):
            let first = leads[0].1
            guard let time = first.time else { problems.append(.noTime(setID: first.setID)); return }
            let count = ExactDecimal(wave.samplesPerLead)
            let key = recordKey(time, .ecgWaveform, [count], [], &occurrences) + "|" + wave.digest
            readings.append(Reading(profileID: profileID, deviceSerial: deviceSerial, deviceModel: deviceModel, recordKey: key,
                                    kind: .ecgWaveform, code: ObservationKind.ecgWaveform.loincCode(unit: "uV") ?? "",
                                    value: count, unit: "uV", deviceTime: time, flags: [], raw: [],
                                    patientID: patientID, waveform: wave))
        }
    }

    /// `time|kind|values|flags|patient digest|occurrence`.
    private func recordKey(_ time: LocalDateTime, _ kind: ObservationKind, _ values: [ExactDecimal], _ flags: [ReadingFlag],
                           _ occurrences: inout [String: Int]) -> String {
        let patient = patientID.map(Self.digest) ?? "-"
        let tuple = "\(time)|\(kind.rawValue)|\(values.map(\.description).joined(separator: "/"))|\(flags.map(\.rawValue).joined(separator: ","))|\(patient)"
        let n = occurrences[tuple, default: 0]
        occurrences[tuple] = n + 1
        return "\(tuple)|\(n)"
    }

    /// FNV-1a 64 of the patient id, hex: separates patients in a key without writing the id.
    static func digest(_ id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
