public import PocGateCore

/// Assembles the frames of a declarative protocol into the device identity and its readings:
/// the record → reading mapper, shared by the live session and `pocgate replay`.
public struct DeclarativeDump: Sendable {
    public let plan: DeclarativePlan
    /// The latest frame of each record type still available to readings.
    private var latest: [InlineBytes?]
    private var occurrences = KeyTextCounts()
    public private(set) var serial: String?
    public private(set) var model: String?
    public private(set) var clock: LocalDateTime?
    /// Identity problems already reported, so each is reported once.
    private var noted: Set<String> = []
    /// For each record type, whether the device's serial, model or clock reads one of its
    /// fields: only a frame of such a record can change the identity.
    private let feedsIdentity: [Bool]
    /// For each reading, for each of its flag fields: the flag each named value stands for.
    private let flagTables: [[[Int64: ReadingFlag]]]
    /// The record key's text as it is written, reused from reading to reading.
    private var keyText: [UInt8] = []

    public init(plan: DeclarativePlan) {
        self.plan = plan
        latest = Array(repeating: nil, count: plan.spec.records.count)
        var feeds = Array(repeating: false, count: plan.spec.records.count)
        let d = plan.spec.device
        for template in [d.serial, d.model].compactMap({ $0 }) {
            for case let .field(ref) in template.parts { feeds[ref.record] = true }
        }
        if let c = d.clock { feeds[c.record] = true }
        feedsIdentity = feeds
        flagTables = plan.spec.readings.map { r in
            r.flags.map { f in plan.spec.records[f.record].fields[f.field].names.compactMapValues(ReadingFlag.init(rawValue:)) }
        }
    }

    /// What one frame produced.
    public struct Output: Sendable {
        public var readings: [Reading] = []
        /// Records that could not become readings, each with its reason and raw bytes.
        public var problems: [(reason: String, raw: [UInt8])] = []
    }

    /// The value of a field in the latest frame of its record.
    public func value(_ ref: FieldRef) -> FieldValue? {
        guard let frame = latest[ref.record] else { return nil }
        return frame.withBytes { plan.spec.records[ref.record].fields[ref.field].extract($0) }
    }

    func name(_ ref: FieldRef) -> String {
        "\(plan.spec.records[ref.record].name).\(plan.spec.records[ref.record].fields[ref.field].name)"
    }

    /// Takes one frame.
    public mutating func consume(_ frame: DeclarativeFrame, profileID: String) -> Output {
        // The identity is made of the latest frames: the same frame again changes nothing.
        let repeated = latest[frame.record] == frame.bytes
        latest[frame.record] = frame.bytes
        var out = Output()
        if feedsIdentity[frame.record] && !repeated {
            for note in updateIdentity() { out.problems.append((note, frame.bytes.array)) }
        }
        let candidates = plan.readingsByTrigger[frame.record]
        guard !candidates.isEmpty else { return out }
        var matched = false
        for i in candidates {
            if let m = plan.otherRecords[i].first(where: { latest[$0] == nil }) {
                let names = (plan.spec.records[frame.record].name, plan.spec.records[m].name)
                out.problems.append(("record '\(names.0)' arrived without the '\(names.1)' record it needs before it", frame.bytes.array))
                matched = true
                continue
            }
            guard plan.spec.readings[i].conditions.allSatisfy({ value($0.field)?.integer == $0.equals }) else { continue }
            matched = true
            var raw: [UInt8] = []
            raw.reserveCapacity(frame.bytes.count * (plan.otherRecords[i].count + 1))
            for o in plan.otherRecords[i] { latest[o]!.withBytes { raw.append(contentsOf: $0) } }
            frame.bytes.withBytes { raw.append(contentsOf: $0) }
            switch reading(index: i, profileID: profileID, raw: raw) {
            case let .success(reading): out.readings.append(reading)
            case let .failure(problem): out.problems.append((problem.text, raw))
            }
        }
        if !matched {
            let tests = Set(candidates.flatMap { plan.spec.readings[$0].conditions.map(\.field) })
                .sorted { ($0.record, $0.field) < ($1.record, $1.field) }
                .map { "\(name($0)) = \(value($0)?.description ?? "missing")" }
            out.problems.append(("record '\(plan.spec.records[frame.record].name)' matches none of its readings' conditions (\(tests.joined(separator: ", ")))", frame.bytes.array))
        }
        // Each trigger uses up the records it pairs with that live for one reading, whether or
        // not a reading resulted.
        for i in candidates {
            for o in plan.otherRecords[i] where plan.spec.records[o].lifetime == .reading { latest[o] = nil }
        }
        return out
    }

    struct Problem: Error { var text: String }

    private mutating func reading(index: Int, profileID: String, raw: [UInt8]) -> Result<Reading, Problem> {
        let r = plan.spec.readings[index]
        guard case let .time(t)? = value(r.time) else { return .failure(Problem(text: "field '\(name(r.time))' is missing from the frame")) }
        guard let time = t else {
            let bytes = latest[r.time.record].map { Hex.string($0.array) } ?? ""
            return .failure(Problem(text: "field '\(name(r.time))' is not a valid date in record \(bytes)"))
        }
        var components: [ReadingComponent] = []
        for c in r.components {
            guard let v = value(c.value)?.decimal else { return .failure(Problem(text: "field '\(name(c.value))' is not a number")) }
            guard let unit = unitText(c.unit) else { return .failure(Problem(text: "the unit field of '\(name(c.value))' has a value with no unit name")) }
            guard let code = c.kind.loincCode(unit: unit) else {
                return .failure(Problem(text: "no LOINC code for \(c.kind.rawValue) in unit \(unit)"))
            }
            components.append(ReadingComponent(kind: c.kind, code: code, value: v, unit: unit))
        }
        let valueField = r.value ?? r.components.first?.value
        guard let vf = valueField, let value = value(vf)?.decimal else {
            return .failure(Problem(text: "field '\(valueField.map(name) ?? "value")' is not a number"))
        }
        guard let unit = unitText(r.unit) else { return .failure(Problem(text: "the unit field has a value with no unit name")) }
        guard let code = r.code ?? r.kind.loincCode(unit: unit) else {
            return .failure(Problem(text: "no LOINC code for \(r.kind.rawValue) in unit \(unit); set 'code' in the reading"))
        }
        var flags: [ReadingFlag] = []
        for (j, f) in r.flags.enumerated() {
            guard let n = self.value(f)?.integer, let flag = flagTables[index][j][n] else { continue }
            flags.append(flag)
        }
        if let hi = r.highAbove, value.compare(hi) > 0 { flags.append(.aboveRange) }
        if let lo = r.lowBelow, value.compare(lo) < 0 { flags.append(.belowRange) }
        if flags.count > 1 {
            // In order, each once.
            flags.sort()
            var kept = 1
            for k in 1..<flags.count where flags[k] != flags[kept - 1] {
                flags[kept] = flags[k]
                kept += 1
            }
            flags.removeLast(flags.count - kept)
        }
        let patient = r.patient.flatMap { self.value($0) }.map { $0.description.trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 }
        // The key is "kind|identity|occurrence"; the identity, "minute|value|component
        // values|flags", is counted to tell apart records that carry the same.
        keyText.removeAll(keepingCapacity: true)
        keyText.appendText(r.kind.rawValue)
        keyText.append(UInt8(ascii: "|"))
        let identityStart = keyText.count
        keyText.appendMinuteStamp(time)
        keyText.append(UInt8(ascii: "|"))
        keyText.appendDecimal(value)
        keyText.append(UInt8(ascii: "|"))
        keyText.appendDecimals(components.lazy.map(\.value), separator: UInt8(ascii: ","))
        keyText.append(UInt8(ascii: "|"))
        keyText.appendFlagNames(flags)
        let n = occurrences.next(Array(keyText[identityStart...]))
        keyText.append(UInt8(ascii: "|"))
        keyText.appendDecimal(n)
        return .success(Reading(profileID: profileID, deviceSerial: serial ?? DecodedCapture.unknownSerial,
                                deviceModel: model ?? "unknown", recordKey: String(decoding: keyText, as: UTF8.self), kind: r.kind,
                                code: code, value: value, unit: unit, deviceTime: time, flags: flags, raw: raw,
                                patientID: patient, components: components))
    }

    private func unitText(_ u: ReadingSpec.UnitSource) -> String? {
        switch u {
        case let .fixed(s): return s
        case let .field(ref):
            guard let n = value(ref)?.integer else { return nil }
            return plan.spec.records[ref.record].fields[ref.field].names[n]
        }
    }

    /// Serial, model and clock from the latest frames. A serial or model holding control
    /// characters (an ascii field with a NUL) or longer than `DeviceText.maximumIdentityLength`
    /// is kept escaped and cut; each such change is returned once, as a problem.
    private mutating func updateIdentity() -> [String] {
        let d = plan.spec.device
        var notes: [String] = []
        func kept(_ text: String, _ what: String) -> String {
            let k = DeviceText.identity(text, what: what)
            if let p = k.problem, noted.insert(p).inserted { notes.append(p) }
            return k.text
        }
        if let t = d.serial, let s = render(t) { serial = kept(s, "serial") }
        if let t = d.model, let s = render(t) { model = kept(s, "model") }
        if let c = d.clock, case let .time(t)? = value(c) { clock = t }
        return notes
    }

    private func render(_ t: TextTemplate) -> String? {
        var s = ""
        for p in t.parts {
            switch p {
            case let .literal(l): s += l
            case let .field(ref):
                guard let v = value(ref) else { return nil }
                s += v.description
            }
        }
        return s
    }
}

extension ExactDecimal {
    /// -1, 0 or 1 as `self` is below, equal to or above `other` (exact).
    func compare(_ other: ExactDecimal) -> Int {
        let s = max(scale, other.scale)
        func widened(_ d: ExactDecimal) -> Int128 {
            var m = Int128(d.mantissa)
            for _ in 0..<Int(s - d.scale) { m *= 10 }
            return m
        }
        let a = widened(self), b = widened(other)
        return a < b ? -1 : (a > b ? 1 : 0)
    }
}
