public import PocGateCore

/// An ORU^R01 observation-result message turned into readings (HL7 v2.5.1 chapter 7).
///
/// - PID-3: the patient identifier (the repetition that is an 18-character resident identity
///   number, else the first), written to every reading of the message.
/// - Each OBR opens a group; its OBX rows are its results. OBX-14 (else OBR-7) is the time, with
///   its UTC offset when written; a malformed OBX-14 is a problem, never replaced by OBR-7.
/// - OBX-11 (table 0085): F, U and an empty status are final; P, R and S preliminary; C a
///   correction and W a withdrawal of the earlier result with the same identity (same order,
///   OBX-3 and OBX-4); N (not asked), O (order detail), X (cannot be obtained), D (deleted) and
///   I (pending) are not results and are passed over; any other letter is a problem.
/// - An OBX with an empty OBX-5 was not measured: passed over, counted in `notMeasured`.
/// - Systolic, diastolic and (when sent) mean pressure become one `bloodPressure` reading with
///   components, value = systolic. OBX-4 tells panels apart: parts with the same sub-id (IHE
///   PCD-01 `MDS.VMD.CHAN.METRIC`: the same channel) are one panel, and a part repeated without
///   a distinguishing sub-id starts the next panel, so two pressures in one OBR are two readings.
/// - ECG lead arrays (NA) of one group become one `ecgWaveform` reading, with the group's
///   `MDC_ATTR_SAMP_RATE`.
/// - Every other known OBX is one reading, with the code the device sent (LOINC, or MDC).
///
/// The record key is built from the content (time, kind, values, flags, a digest of the
/// patient id, occurrence; a correction adds its status), so a re-sent message gives the same
/// keys, whatever its MSH-10.
public struct HL7ORU: Sendable {
    /// The readings the message gave.
    public var readings: [Reading] = []
    /// The results that could not become readings.
    public var problems: [HL7ResultProblem] = []
    /// The segment bytes of each problem (same order as `problems`; empty for a group problem).
    public var problemBytes: [[UInt8]] = []
    /// OBX rows passed over because OBX-5 was empty (not measured).
    public var notMeasured = 0
    /// OBX rows passed over because OBX-11 says they are not results (N, O, X, D, I).
    public var notResults = 0
    /// The device as MSH-3/MSH-4 name it, control characters escaped and cut to
    /// `DeviceText.maximumIdentityLength` (`identityProblems` says when).
    public var deviceSerial: String
    public var deviceModel: String
    /// What was changed in the serial or model to keep it (escaped control characters, a cut).
    public var identityProblems: [String] = []
    /// PID-3 as chosen (never log it unmasked).
    public var patientID: String?

    /// The profile's analyte tables: a LOINC code in OBX-3 that pocgate does not know itself
    /// (HbA1c, albumin/creatinine ratio…) is taken when a table lists it, in the table's units.
    var analytes = AnalyteTable.empty
    /// The patient id the digest in keys was computed for, and the digest.
    private var digestedPatient: (id: String?, digest: String)?

    /// Interprets `message`, or rejects it as a whole.
    public static func interpret(_ message: HL7Message, profileID: String,
                                 analytes: AnalyteTable = .empty) -> Result<HL7ORU, HL7Rejection> {
        let type = message.messageType
        guard type.code == "ORU", type.event == "R01" else {
            return .failure(.unsupportedMessageType(message.header.components(9).prefix(2).joined(separator: "^")))
        }
        guard !message.controlID.isEmpty else { return .failure(.noControlID) }
        var oru = HL7ORU(message: message)
        oru.analytes = analytes
        oru.collect(message, profileID: profileID)
        return .success(oru)
    }

    /// Parses and interprets an MLLP payload.
    public static func interpret(payload: [UInt8], profileID: String,
                                 analytes: AnalyteTable = .empty) -> Result<(HL7Message, HL7ORU), HL7Rejection> {
        let message: HL7Message
        do { message = try HL7Message(parsing: payload) } catch { return .failure(.unparsable(error)) }
        return interpret(message, profileID: profileID, analytes: analytes).map { (message, $0) }
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
    struct Item {
        var setID: String
        var subID: String
        var code: HL7ObservationCode
        var sentCode: String
        var value: HL7Value
        var unit: String
        var flags: [ReadingFlag]
        var time: HL7Timestamp.Zoned?
        var status: ResultStatus
        var bodySite: String?
        var raw: [UInt8]
        /// For a code found in the analyte table: the units the table codes it in.
        var tableUnits: [String]? = nil
    }

    /// The OBR a group of OBX belongs to.
    struct Order {
        var setID = ""
        /// OBR-3 filler order number, else OBR-2 placer order number, else OBR-7 as sent.
        var number = ""
        var time: HL7Timestamp.Zoned?
    }

    private mutating func collect(_ message: HL7Message, profileID: String) {
        var group: [Item] = []
        var order = Order()
        var occurrences = KeyTextCounts()
        for segment in message.segments {
            switch segment.id {
            case "PID":
                flush(&group, order, profileID, &occurrences)
                patientID = Self.patient(segment)
                digestedPatient = (patientID, patientID.map(Self.digest) ?? "-")
            case "OBR":
                flush(&group, order, profileID, &occurrences)
                let filler = segment.trimmedText(3, component: 1), placer = segment.trimmedText(2, component: 1)
                order = Order(setID: segment.text(1), number: !filler.isEmpty ? filler : !placer.isEmpty ? placer : segment.text(7),
                              time: HL7Timestamp.parseZoned(segment.text(7)))
            case "OBX":
                if let item = item(segment, obrTime: order.time) { group.append(item) }
            default:
                break
            }
        }
        flush(&group, order, profileID, &occurrences)
    }

    /// PID-3: the repetition that looks like a resident identity number, else the first non-empty.
    static func patient(_ pid: HL7Segment) -> String? {
        let ids = (0..<pid.repetitionCount(3)).map { pid.trimmedText(3, repetition: $0) }.filter { !$0.isEmpty }
        return ids.first(where: isResidentIDShape) ?? ids.first
    }

    static func isResidentIDShape(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count == 18 && u[0..<17].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && (u[17] >= 0x30 && u[17] <= 0x39 || u[17] == UInt8(ascii: "X") || u[17] == UInt8(ascii: "x"))
    }

    mutating func problem(_ p: HL7ResultProblem, _ raw: [UInt8]) {
        problems.append(p)
        problemBytes.append(raw)
    }

    /// Turns one OBR group into readings.
    private mutating func flush(_ group: inout [Item], _ order: Order, _ profileID: String, _ occurrences: inout KeyTextCounts) {
        defer { group = [] }
        guard !group.isEmpty else { return }
        var leads: [(String, Item)] = []
        var rate: Item?
        for item in group {
            switch item.code {
            case let .ecgLead(name): leads.append((name, item))
            case .samplingRate: rate = item
            case .kind: break
            }
        }
        let panels = HL7PressurePanels(group.enumerated().compactMap { position, item in
            if case let .kind(k) = item.code, Self.isPressure(k) { return (position, k, item) }
            return nil
        })
        // Readings in message order: a panel or waveform where its first OBX stands.
        var waveformDone = false
        for (index, item) in group.enumerated() {
            switch item.code {
            case let .kind(k) where Self.isPressure(k):
                if let panel = panels.panel(openedAt: index) {
                    bloodPressure(panel, order, profileID, &occurrences)
                }
            case let .kind(k):
                single(item, k, order, profileID, &occurrences)
            case .ecgLead:
                if !waveformDone { waveformDone = true; waveform(leads, rate, order.setID, profileID, &occurrences) }
            case .samplingRate:
                break
            }
        }
    }

    /// Whether `kind` is a part of a blood-pressure panel (systolic, diastolic, mean).
    static func isPressure(_ kind: ObservationKind) -> Bool {
        switch kind {
        case .systolicPressure, .diastolicPressure, .meanPressure: return true
        default: return false
        }
    }

    private mutating func single(_ item: Item, _ kind: ObservationKind, _ order: Order, _ profileID: String,
                                 _ occurrences: inout KeyTextCounts) {
        let value: ExactDecimal
        switch item.value {
        case let .number(v), let .above(v), let .below(v): value = v
        case .array:
            problem(.arrayWithoutLead(setID: item.setID), item.raw)
            return
        }
        guard item.tableUnits?.contains(item.unit) ?? (kind.loincCode(unit: item.unit) != nil) else {
            problem(.unknownUnit(setID: item.setID, unit: item.unit, kind: kind.rawValue), item.raw)
            return
        }
        guard let time = item.time else { problem(.noTime(setID: item.setID), item.raw); return }
        let key = recordKey(time.local, kind, [value], item.flags, item.status, &occurrences)
        var reading = Reading(profileID: profileID, deviceSerial: deviceSerial, deviceModel: deviceModel, recordKey: key,
                              kind: kind, code: item.sentCode, value: value, unit: item.unit, deviceTime: time.local,
                              flags: item.flags, raw: item.raw, patientID: patientID)
        reading.utcOffsetSeconds = time.utcOffsetSeconds
        reading.timePrecision = time.precision
        reading.status = item.status
        reading.bodySite = item.bodySite
        reading.identity = identity(order, item.sentCode, item.subID)
        readings.append(reading)
    }

    private mutating func bloodPressure(_ parts: [ObservationKind: Item], _ order: Order, _ profileID: String,
                                        _ occurrences: inout KeyTextCounts) {
        guard let sys = parts[.systolicPressure], let dia = parts[.diastolicPressure] else {
            problem(.incompleteBloodPressure(obr: order.setID), parts.values.first?.raw ?? [])
            return
        }
        var components: [ReadingComponent] = []
        var flags: Set<ReadingFlag> = []
        var raw: [UInt8] = []
        var status = ResultStatus.final
        for kind in [ObservationKind.systolicPressure, .diastolicPressure, .meanPressure] {
            guard let item = parts[kind] else { continue }
            guard case let .number(v) = item.value else {
                problem(.valueShape(setID: item.setID, why: "a blood-pressure value must be exact, not a bound or an array"), item.raw)
                return
            }
            guard let code = kind.loincCode(unit: item.unit) else {
                problem(.unknownUnit(setID: item.setID, unit: item.unit, kind: kind.rawValue), item.raw)
                return
            }
            components.append(ReadingComponent(kind: kind, code: code, value: v, unit: item.unit))
            flags.formUnion(item.flags)
            if !raw.isEmpty { raw.append(MLLPBlock.carriageReturn) }
            raw += item.raw
            status = Self.panelStatus(status, item.status)
        }
        guard let time = sys.time ?? dia.time else { problem(.noTime(setID: sys.setID), sys.raw); return }
        let sorted = flags.sorted()
        let key = recordKey(time.local, .bloodPressure, components.map(\.value), sorted, status, &occurrences)
        var reading = Reading(profileID: profileID, deviceSerial: deviceSerial, deviceModel: deviceModel, recordKey: key,
                              kind: .bloodPressure, code: ObservationKind.bloodPressure.loincCode(unit: "mm[Hg]") ?? "",
                              value: components[0].value, unit: "mm[Hg]", deviceTime: time.local, flags: sorted, raw: raw,
                              patientID: patientID, components: components)
        reading.utcOffsetSeconds = time.utcOffsetSeconds
        reading.timePrecision = time.precision
        reading.status = status
        reading.identity = identity(order, "blood-pressure", HL7PressurePanels.panelKey(sys.subID))
        readings.append(reading)
    }

    /// The status of a panel: a withdrawal or correction of any part amends the whole panel;
    /// a preliminary part makes it preliminary.
    static func panelStatus(_ a: ResultStatus, _ b: ResultStatus) -> ResultStatus {
        for s in [ResultStatus.enteredInError, .corrected, .preliminary] where a == s || b == s { return s }
        return .final
    }

    private mutating func waveform(_ leads: [(String, Item)], _ rate: Item?, _ obrID: String, _ profileID: String,
                                   _ occurrences: inout KeyTextCounts) {
        guard let rate, case let .number(hz) = rate.value, rate.unit == "Hz" || rate.unit.isEmpty,
              let period = HL7Waveform.periodMillis(hertz: hz) else {
            problem(.waveformWithoutRate(obr: obrID), [])
            return
        }
        switch HL7Waveform.build(leads.map { ($0.0, $0.1.value, $0.1.unit, $0.1.setID) }, periodMillis: period) {
        case let .failure(p): problem(p, [])
        case let .success(wave):
            let first = leads[0].1
            guard let time = first.time else { problem(.noTime(setID: first.setID), first.raw); return }
            let count = ExactDecimal(wave.samplesPerLead)
            let key = recordKey(time.local, .ecgWaveform, [count], [], .final, &occurrences) + "|" + wave.digest
            var reading = Reading(profileID: profileID, deviceSerial: deviceSerial, deviceModel: deviceModel, recordKey: key,
                                  kind: .ecgWaveform, code: ObservationKind.ecgWaveform.loincCode(unit: "uV") ?? "",
                                  value: count, unit: "uV", deviceTime: time.local, flags: [], raw: [],
                                  patientID: patientID, waveform: wave)
            reading.utcOffsetSeconds = time.utcOffsetSeconds
            reading.timePrecision = time.precision
            readings.append(reading)
        }
    }

    /// `order|observation|sub-id|patient digest`: what names an observation across messages.
    private func identity(_ order: Order, _ observation: String, _ subID: String) -> String {
        "\(order.number)|\(observation)|\(subID)|\(patientDigest)"
    }

    /// `digest(patientID)`, or `-` without a patient: computed once per PID.
    private var patientDigest: String {
        if let cached = digestedPatient, cached.id == patientID { return cached.digest }
        return patientID.map(Self.digest) ?? "-"
    }

    /// `time|kind|values|flags|patient digest|occurrence`, with `|<status>` before the
    /// occurrence for a preliminary result, a correction or a withdrawal (so the final result,
    /// or the amendment, never collides with what it amends).
    private func recordKey(_ time: LocalDateTime, _ kind: ObservationKind, _ values: [ExactDecimal], _ flags: [ReadingFlag],
                           _ status: ResultStatus, _ occurrences: inout KeyTextCounts) -> String {
        // "time|kind|values/…|flags,…|patient digest[|status]|occurrence", written once into
        // one buffer (the same text the descriptions would give).
        var text: [UInt8] = []
        text.reserveCapacity(96)
        text.appendTime(time)
        text.append(UInt8(ascii: "|"))
        text.appendText(kind.rawValue)
        text.append(UInt8(ascii: "|"))
        text.appendDecimals(values, separator: UInt8(ascii: "/"))
        text.append(UInt8(ascii: "|"))
        text.appendFlagNames(flags)
        text.append(UInt8(ascii: "|"))
        text.appendText(patientDigest)
        if status != .final {
            text.append(UInt8(ascii: "|"))
            text.appendText(status.rawValue)
        }
        let n = occurrences.next(text)
        text.append(UInt8(ascii: "|"))
        text.appendDecimal(n)
        return String(decoding: text, as: UTF8.self)
    }

    /// FNV-1a 64 of the patient id, hex: separates patients in a key without writing the id.
    static func digest(_ id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
