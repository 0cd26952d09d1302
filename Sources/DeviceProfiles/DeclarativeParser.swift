import FrameParsing
import PocGateCore

/// Reads the declarative sections of a profile (`frame`, `records`, `readings`, `device`,
/// `commands`, `session.script`) into a `DeclarativeSpec`, checking every cross-reference.
/// Problems in one record, reading or step do not hide problems in the next: all are collected
/// in `errors` (each with file:line:column); `warnings` holds suspicious but legal choices.
struct DeclarativeParser {
    var errors: [YAMLIssue] = []
    var warnings: [YAMLIssue] = []
    /// The record types and commands parsed so far (read by the checks in DeclarativeParser+Checks.swift).
    private(set) var records: [RecordSpec] = []
    private(set) var commands: [CommandSpec] = []

    /// Runs `body`, keeping its error instead of stopping.
    private mutating func attempt<T>(_ body: (inout DeclarativeParser) throws(YAMLIssue) -> T) -> T? {
        do {
            return try body(&self)
        } catch {
            // A reference to a record that already failed would only repeat that error.
            if !failedRecords.contains(where: { error.message.hasPrefix("no record '\(ProfileLimits.quoted($0))'") }) { errors.append(error) }
            return nil
        }
    }

    /// Records whose definition had an error.
    private var failedRecords: Set<String> = []

    mutating func parse(top: YAMLMap, session: YAMLMap?, defaults: SessionSettings) -> DeclarativeSpec? {
        let frame = attempt { p throws(YAMLIssue) in try p.parseFrame(try top.map("frame", required: true)!) }
        if let recs = attempt({ p throws(YAMLIssue) in try top.map("records", required: true)! }),
           within(recs.keys.count, ProfileLimits.records, "record types", top, "records") {
            for name in recs.keys {
                if let r = attempt({ p throws(YAMLIssue) in try p.parseRecord(name, recs, frame: frame) }) {
                    records.append(r)
                } else {
                    failedRecords.insert(name)
                }
            }
            if recs.keys.isEmpty { errors.append(top.issue("records", "'records' needs at least one record type")) }
            attempt { _ throws(YAMLIssue) in try recs.finish() }
            warnUnreachable(recs)
        }
        var readings: [ReadingSpec] = []
        if let list = attempt({ p throws(YAMLIssue) in try top.maps("readings") }),
           within(list?.count ?? 0, ProfileLimits.readings, "readings", top, "readings") {
            for m in list ?? [] {
                if let r = attempt({ p throws(YAMLIssue) in try p.parseReading(m) }) { readings.append(r) }
            }
            if (list ?? []).isEmpty { errors.append(top.issue("readings", "a declarative profile needs at least one entry under 'readings', or it never produces a reading")) }
        }
        let device = attempt { p throws(YAMLIssue) -> DeviceIdentitySpec in
            guard let d = try top.map("device") else { return DeviceIdentitySpec() }
            return try p.parseDevice(d)
        } ?? DeviceIdentitySpec()
        if let cmds = attempt({ p throws(YAMLIssue) in try top.map("commands") }), let cmds,
           within(cmds.keys.count, ProfileLimits.commands, "commands", top, "commands") {
            for name in cmds.keys {
                if let c = attempt({ p throws(YAMLIssue) in try p.parseCommand(name, cmds) }) { commands.append(c) }
            }
            attempt { _ throws(YAMLIssue) in try cmds.finish() }
        }
        var script: [ScriptStep] = []
        if let session, session.has("script") {
            script = attempt { p throws(YAMLIssue) in
                var budget = ProfileLimits.scriptSteps
                return try p.parseSteps(session, "script", defaults: defaults, depth: 1, budget: &budget)
            } ?? []
        }
        let indexed = commands.filter(\.usesIndex).count
        if indexed > ProfileLimits.indexedCommands {
            errors.append(top.issue("commands", "\(indexed) commands use the loop index (i.lo, i.hi); a profile may have at most \(ProfileLimits.indexedCommands)"))
        }
        guard errors.isEmpty, let frame else { return nil }
        let spec = DeclarativeSpec(frame: frame, records: records, readings: readings, device: device, commands: commands, script: script)
        checkCommandClashes(DeclarativePlan(spec), top: top)
        return errors.isEmpty ? spec : nil
    }

    // MARK: frame

    static func bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," })
        var out: [UInt8] = []
        for p in parts {
            let t = p.lowercased().hasPrefix("0x") ? p.dropFirst(2) : p[...]
            guard t.count == 2, let b = UInt8(t, radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }

    private func byteString(_ m: YAMLMap, _ key: String, required: Bool) throws(YAMLIssue) -> [UInt8]? {
        guard let text = try m.string(key, required: required) else { return nil }
        guard let b = Self.bytes(text), !b.isEmpty else {
            throw m.issue(key, "'\(YAMLMap.join(m.path, key))' must be hex bytes separated by spaces, e.g. \"AA 55\", not '\(ProfileLimits.quoted(text))'")
        }
        return b
    }

    private mutating func parseFrame(_ f: YAMLMap) throws(YAMLIssue) -> FrameSpec {
        let start = try byteString(f, "start", required: true)!
        guard start.count <= 4 else { throw f.issue("start", "'frame.start' may have at most 4 bytes") }
        let terminator = try byteString(f, "terminator", required: false) ?? []
        var length: LengthRule
        var maxLength: Int?
        if f.isMapping("length") {
            let l = try f.map("length")!
            let offset = try l.int("offset", in: 0...(InlineBytes.capacity - 1), required: true)!
            let size = try l.int("size", in: 1...2) ?? 1
            let order = ByteOrder(rawValue: try l.choice("endian", from: ByteOrder.allCases.map(\.rawValue)) ?? "big")!
            let countsWord = try l.choice("counts", from: ["whole-frame", "payload", "from"]) ?? "payload"
            let counts: LengthField.Counts
            switch countsWord {
            case "whole-frame": counts = .wholeFrame
            case "from": counts = .from(try l.int("from", in: 0...(InlineBytes.capacity - 1), required: true)!)
            default: counts = .payload
            }
            if countsWord != "from", l.has("from") {
                throw l.keyIssue("from", "'frame.length.from' only applies with 'counts: from'; remove it or set counts: from")
            }
            let adjust = try l.int("adjust", in: -16...16) ?? 0
            guard offset >= start.count else {
                throw l.issue("offset", "'frame.length.offset' \(offset) lies inside the start bytes; the length field comes after them (offset \(start.count) or later)")
            }
            try l.finish()
            length = .field(LengthField(offset: offset, size: size, order: order, counts: counts, adjust: adjust))
        } else if let word = try f.string("length"), word == "terminator" {
            guard !terminator.isEmpty else {
                throw f.issue("length", "'length: terminator' needs 'frame.terminator' bytes")
            }
            length = .terminated
        } else {
            let n = try f.int("length", in: 1...InlineBytes.capacity, required: true)!
            length = .fixed(n)
            maxLength = n
        }
        let declaredMax = try f.int("max_length", in: 1...100_000)
        if let declaredMax, declaredMax > InlineBytes.capacity {
            throw f.issue("max_length", "'frame.max_length' \(declaredMax) is above the \(InlineBytes.capacity) bytes a declarative frame may have")
        }
        if case let .fixed(n) = length, let declaredMax, declaredMax != n {
            throw f.issue("max_length", "'frame.max_length' \(declaredMax) contradicts the fixed 'length: \(n)'; remove max_length")
        }
        let maximum = maxLength ?? declaredMax ?? InlineBytes.capacity
        var escape: EscapeRule?
        if let e = try f.map("escape") {
            let byte = UInt8(try e.int("byte", in: 0...255, required: true)!)
            if e.has("xor") {
                escape = .xor(byte: byte, mask: UInt8(try e.int("xor", in: 0...255)!))
            } else if let pairs = try e.map("pairs") {
                var codes: [UInt8: UInt8] = [:]
                for k in pairs.keys {
                    guard let code = Self.bytes(k)?.first else { throw pairs.keyIssue(k, "escape codes are hex bytes such as 0x5E") }
                    codes[code] = UInt8(try pairs.int(k, in: 0...255, required: true)!)
                }
                try pairs.finish()
                escape = .pairs(byte: byte, codes: codes)
            } else {
                throw f.issue("escape", "'frame.escape' needs 'xor' (e.g. xor: 0x20) or 'pairs' (code: byte)")
            }
            try e.finish()
        }
        var checksum: ChecksumSpec?
        if let c = try f.map("checksum") {
            let family = ChecksumSpec.Family(rawValue: try c.choice("type", from: ChecksumSpec.Family.allCases.map(\.rawValue)) ?? "")
            guard let family else { throw c.issue("type", "missing required key 'frame.checksum.type' (one of \(ChecksumSpec.Family.allCases.map(\.rawValue).joined(separator: ", ")))") }
            let range = -InlineBytes.capacity...(InlineBytes.capacity - 1)
            let from = try c.int("from", in: range) ?? 0
            let at = try c.int("at", in: range) ?? -(family.carriedSize + terminator.count)
            let to = try c.int("to", in: range) ?? at - 1
            let order = ByteOrder(rawValue: try c.choice("endian", from: ByteOrder.allCases.map(\.rawValue)) ?? "big")!
            try c.finish()
            checksum = ChecksumSpec(family: family, from: from, to: to, position: at, order: order)
            if case let .fixed(n) = length {
                let lo = from < 0 ? n + from : from, hi = to < 0 ? n + to : to, pos = at < 0 ? n + at : at
                guard lo >= 0, hi < n, lo <= hi, pos >= 0, pos + family.carriedSize <= n else {
                    throw c.issue("from", "the checksum range \(from)…\(to) or its position \(at) does not fit a \(n)-byte frame")
                }
                guard pos > hi || pos + family.carriedSize <= lo else {
                    throw c.issue("at", "the checksum at \(at) lies inside the bytes it covers (\(from)…\(to)); end the range before it, e.g. to: \(at - 1)")
                }
            } else if (at < 0 && to < 0 && at <= to) || (at >= 0 && from >= 0 && to >= 0 && at >= from && at <= to) {
                throw c.issue("at", "the checksum at \(at) lies inside the bytes it covers (\(from)…\(to)); end the range before it")
            }
            if case .fixed = length {} else {
                // No frame is longer than `maximum`: a checksum or range end beyond it could never be read.
                let size = family.carriedSize
                if (at >= 0 && at + size > maximum) || (at < 0 && -at > maximum) {
                    throw c.issue("at", "the checksum position \(at) (\(size) byte(s)) lies beyond the longest frame, 'frame.max_length' \(maximum); no frame can carry it. Count the position within max_length, or from the end (negative)")
                }
                for (key, v) in [("from", from), ("to", to)] where (v >= 0 && v >= maximum) || (v < 0 && -v > maximum) {
                    throw c.issue(key, "the checksum range end \(key): \(v) lies beyond the longest frame, 'frame.max_length' \(maximum); no frame reaches it")
                }
            }
            if case let .field(l) = length {
                let lengthEnd = l.offset + l.size - 1
                if (from >= 0 && from > l.offset) || from < 0 || (to >= 0 && to < lengthEnd) {
                    warnings.append(c.issue("from", "the checksum range \(from)…\(to) leaves out the length field at offset \(l.offset); most protocols cover it — check the protocol sheet"))
                }
            }
        }
        var require: [ByteRule] = []
        for w in try f.maps("require") ?? [] { require.append(try byteRule(w, limit: maximum)) }
        try f.finish()
        return FrameSpec(start: start, length: length, maximumLength: maximum, terminator: terminator, escape: escape,
                         checksum: checksum, require: require)
    }

    /// `{byte, equals, mask}`.
    private func byteRule(_ w: YAMLMap, limit: Int) throws(YAMLIssue) -> ByteRule {
        let offset = try w.int("byte", in: -limit...(limit - 1), required: true)!
        let value = try w.int("equals", in: 0...255, required: true)!
        let mask = try w.int("mask", in: 1...255) ?? 0xFF
        guard value & ~mask == 0 else {
            throw w.issue("equals", "'equals: \(value)' has bits outside 'mask: \(mask)', so the rule can never hold")
        }
        try w.finish()
        return ByteRule(offset: offset, value: UInt8(value), mask: UInt8(mask))
    }

    // MARK: records and fields

    private mutating func parseRecord(_ name: String, _ parent: YAMLMap, frame: FrameSpec?) throws(YAMLIssue) -> RecordSpec {
        guard Self.isName(name) else {
            throw parent.keyIssue(name, "record name '\(ProfileLimits.quoted(name))' may contain only lowercase letters, digits and '_'")
        }
        let r = try parent.map(name)!
        let limit = frame?.maximumLength ?? InlineBytes.capacity
        var rules: [ByteRule] = []
        for w in try r.maps("when") ?? [] { rules.append(try byteRule(w, limit: limit)) }
        let keep = RecordSpec.Lifetime(rawValue: try r.choice("keep", from: RecordSpec.Lifetime.allCases.map(\.rawValue)) ?? "session")!
        var fields: [FieldSpec] = []
        if let fm = try r.map("fields") {
            guard fm.keys.count <= ProfileLimits.fieldsPerRecord else {
                throw r.issue("fields", "record '\(ProfileLimits.quoted(name))' has \(fm.keys.count) fields; a record may have at most \(ProfileLimits.fieldsPerRecord)")
            }
            for fname in fm.keys {
                guard Self.isName(fname) else {
                    throw fm.keyIssue(fname, "field name '\(ProfileLimits.quoted(fname))' may contain only lowercase letters, digits and '_'")
                }
                fields.append(try parseField(fname, try fm.map(fname)!, limit: limit))
            }
            try fm.finish()
        }
        try r.finish()
        if rules.isEmpty {
            throw parent.keyIssue(name, "record '\(ProfileLimits.quoted(name))' needs 'when' rules (byte, equals) that tell its frames apart")
        }
        return RecordSpec(name: name, rules: rules, fields: fields, lifetime: keep)
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    private func parseField(_ name: String, _ m: YAMLMap, limit: Int) throws(YAMLIssue) -> FieldSpec {
        let offset = try m.int("offset", in: -limit...(limit - 1), required: true)!
        let typeWord = try m.choice("type", from: ["uint", "int", "bcd", "ascii", "hex", "datetime"]) ?? "uint"
        var type: FieldSpec.FieldType
        var size = try m.int("size", in: 1...64)
        switch typeWord {
        case "int": type = .int
        case "bcd": type = .bcd
        case "ascii": type = .ascii
        case "hex": type = .hex
        case "datetime":
            let layoutWord = try m.choice("layout", from: ["taidoc-packed", "bcd", "binary", "ascii"])
            guard let layoutWord else { throw m.issue("type", "a datetime field needs 'layout' (taidoc-packed, bcd, binary or ascii)") }
            let layout: DateLayout
            switch layoutWord {
            case "taidoc-packed": layout = .taidocPacked
            case "ascii":
                let p = try m.string("format", required: true)!
                guard DateLayout.asciiWidth(p) != nil else {
                    throw m.issue("format", "'format' '\(ProfileLimits.quoted(p))' uses a code other than %Y %y %m %d %H %M %S")
                }
                layout = .ascii(p)
            default:
                let p = try m.string("format", required: true)!
                guard DateLayout.tokens(p) != nil else {
                    throw m.issue("format", "'format' '\(ProfileLimits.quoted(p))' must be letter pairs YY (or YYYY), MM, DD, hh, mm, ss, e.g. YYMMDDhhmm")
                }
                layout = layoutWord == "bcd" ? .bcd(p) : .binary(p)
            }
            let width = layout.size!
            if let size, size != width {
                throw m.issue("size", "'size: \(size)' does not match the \(width) bytes the datetime layout uses; remove size or set it to \(width)")
            }
            size = width
            type = .dateTime(layout)
        default: type = .uint
        }
        guard let size else { throw m.issue("offset", "field '\(ProfileLimits.quoted(name))' needs 'size' (how many bytes)") }
        if case .uint = type, size > 8 { throw m.issue("size", "an integer field has at most 8 bytes, not \(size)") }
        if case .int = type, size > 8 { throw m.issue("size", "an integer field has at most 8 bytes, not \(size)") }
        if offset >= 0, offset + size > limit {
            throw m.issue("offset", "field '\(ProfileLimits.quoted(name))' at offset \(offset) with \(size) bytes ends past the \(limit)-byte frame")
        }
        let order = ByteOrder(rawValue: try m.choice("endian", from: ByteOrder.allCases.map(\.rawValue)) ?? "big")!
        let shift = try m.int("shift", in: 0...63) ?? 0
        let mask = try m.int("mask", in: 1...Int.max).map { UInt64($0) }
        var scale: ExactDecimal?
        if let s = try m.string("scale") {
            guard let d = ExactDecimal(parsing: s) else {
                throw m.issue("scale", "'scale' must be an exact decimal such as 0.1 or 10, not '\(ProfileLimits.quoted(s))'")
            }
            scale = d
        }
        var names: [Int64: String] = [:]
        if let n = try m.map("values") {
            guard n.keys.count <= ProfileLimits.valueNames else {
                throw m.issue("values", "field '\(ProfileLimits.quoted(name))' names \(n.keys.count) values; a field may name at most \(ProfileLimits.valueNames)")
            }
            for k in n.keys {
                let v = k.lowercased().hasPrefix("0x") ? Int64(k.dropFirst(2), radix: 16) : Int64(k)
                guard let v else { throw n.keyIssue(k, "value names are keyed by numbers (e.g. 1: before-meal), not '\(ProfileLimits.quoted(k))'") }
                names[v] = try n.string(k, required: true)!
            }
            try n.finish()
        }
        try m.finish()
        return FieldSpec(name: name, offset: offset, size: size, type: type, order: order, shift: shift, mask: mask, scale: scale, names: names)
    }

    // MARK: references

    private func ref(_ text: String, _ at: (String) -> YAMLIssue) throws(YAMLIssue) -> FieldRef {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw at("'\(ProfileLimits.quoted(text))' must name a field as record.field, e.g. value.glucose") }
        guard let r = records.firstIndex(where: { $0.name == parts[0] }) else {
            throw at("no record '\(ProfileLimits.quoted(parts[0]))' (records: \(ProfileLimits.list(records.map(\.name))))")
        }
        guard let f = records[r].fields.firstIndex(where: { $0.name == parts[1] }) else {
            throw at("record '\(ProfileLimits.quoted(parts[0]))' has no field '\(ProfileLimits.quoted(parts[1]))' (fields: \(ProfileLimits.list(records[r].fields.map(\.name))))")
        }
        return FieldRef(record: r, field: f)
    }

    private func ref(_ m: YAMLMap, _ key: String, required: Bool = false) throws(YAMLIssue) -> FieldRef? {
        guard let text = try m.string(key, required: required) else { return nil }
        return try ref(text) { m.issue(key, $0) }
    }

    private func field(_ r: FieldRef) -> FieldSpec { records[r.record].fields[r.field] }

    private func requireNumber(_ r: FieldRef, _ m: YAMLMap, _ key: String) throws(YAMLIssue) {
        switch field(r).type {
        case .hex, .dateTime: throw m.issue(key, "field '\(records[r.record].name).\(field(r).name)' is not a number (type \(Self.typeName(field(r).type))); use a uint, int, bcd or ascii field")
        default: break
        }
    }

    static func typeName(_ t: FieldSpec.FieldType) -> String {
        switch t {
        case .uint: return "uint"
        case .int: return "int"
        case .bcd: return "bcd"
        case .ascii: return "ascii"
        case .hex: return "hex"
        case .dateTime: return "datetime"
        }
    }

    // MARK: readings

    private mutating func parseReading(_ m: YAMLMap) throws(YAMLIssue) -> ReadingSpec {
        let on = try m.string("on", required: true)!
        guard let trigger = records.firstIndex(where: { $0.name == on }) else {
            throw m.issue("on", "no record '\(ProfileLimits.quoted(on))' (records: \(ProfileLimits.list(records.map(\.name))))")
        }
        var conditions: [ReadingSpec.Condition] = []
        for c in try m.maps("when") ?? [] {
            let f = try ref(c, "field", required: true)!
            let v = try c.int("equals", in: Int(Int32.min)...Int(Int32.max), required: true)!
            try c.finish()
            conditions.append(.init(field: f, equals: Int64(v)))
        }
        let kindWord = try m.choice("kind", from: ObservationKind.allCases.map(\.rawValue))
        guard let kindWord, let kind = ObservationKind(rawValue: kindWord) else {
            throw m.issue("kind", "missing required key 'kind' (e.g. glucose, blood-pressure, heart-rate)")
        }
        let code = try m.string("code")
        let unit = try unitSource(m, "unit", kind: kind, code: code)
        let value = try ref(m, "value")
        if let value { try requireNumber(value, m, "value") }
        let time = try ref(m, "time", required: true)!
        guard case .dateTime = field(time).type else {
            throw m.issue("time", "field '\(records[time.record].name).\(field(time).name)' is not a datetime field; give it type: datetime and a layout")
        }
        var flags: [FieldRef] = []
        for (text, at) in try m.located("flags") ?? [] {
            let f = try ref(text, at)
            let names = field(f).names
            guard !names.isEmpty else { throw at("field '\(ProfileLimits.quoted(text))' has no 'values' naming its flags (e.g. values: {1: before-meal})") }
            for (_, word) in names where word != "none" && ReadingFlag(rawValue: word) == nil {
                throw at("field '\(ProfileLimits.quoted(text))' names '\(ProfileLimits.quoted(word))', which is not a reading flag (\(ReadingFlag.allCases.map(\.rawValue).joined(separator: ", ")), or none)")
            }
            flags.append(f)
        }
        func decimal(_ key: String) throws(YAMLIssue) -> ExactDecimal? {
            guard let s = try m.string(key) else { return nil }
            guard let d = ExactDecimal(parsing: s) else { throw m.issue(key, "'\(key)' must be an exact decimal such as 600 or 33.3, not '\(ProfileLimits.quoted(s))'") }
            return d
        }
        let hi = try decimal("hi_above"), lo = try decimal("lo_below")
        var components: [ReadingSpec.Component] = []
        for c in try m.maps("components") ?? [] {
            let kw = try c.choice("kind", from: ObservationKind.allCases.map(\.rawValue))
            guard let kw, let ck = ObservationKind(rawValue: kw) else { throw c.issue("kind", "a component needs 'kind' (e.g. systolic-pressure)") }
            let v = try ref(c, "value", required: true)!
            try requireNumber(v, c, "value")
            let u = c.has("unit") ? try unitSource(c, "unit", kind: ck, code: nil) : unit
            try c.finish()
            components.append(.init(kind: ck, value: v, unit: u))
        }
        guard value != nil || !components.isEmpty else {
            throw m.issue("kind", "the reading needs 'value' (a field such as value.glucose) or 'components'")
        }
        let patient = try ref(m, "patient")
        try m.finish()
        return ReadingSpec(trigger: trigger, conditions: conditions, kind: kind, code: code, unit: unit, value: value, time: time,
                           flags: flags, highAbove: hi, lowBelow: lo, components: components, patient: patient)
    }

    private func unitSource(_ m: YAMLMap, _ key: String, kind: ObservationKind, code: String?) throws(YAMLIssue) -> ReadingSpec.UnitSource {
        let text = try m.string(key, required: true)!
        if text.contains("."), let r = try? ref(text, { m.issue(key, $0) }) {
            let names = field(r).names
            guard !names.isEmpty else { throw m.issue(key, "unit field '\(ProfileLimits.quoted(text))' has no 'values' naming its units (e.g. values: {0: mmol/L, 1: mg/dL})") }
            if code == nil, let bad = names.values.sorted().first(where: { kind.loincCode(unit: $0) == nil }) {
                throw m.issue(key, "unit field '\(ProfileLimits.quoted(text))' names '\(ProfileLimits.quoted(bad))', which has no LOINC code for \(kind.rawValue) (coded units: \(kind.codedUnits.joined(separator: ", ")))")
            }
            return .field(r)
        }
        if code == nil, kind.loincCode(unit: text) == nil {
            throw m.issue(key, "unit '\(ProfileLimits.quoted(text))' has no LOINC code for \(kind.rawValue); use one of \(kind.codedUnits.joined(separator: ", ")) (UCUM) or set 'code'")
        }
        return .fixed(text)
    }

    // MARK: device identity

    private func parseDevice(_ m: YAMLMap) throws(YAMLIssue) -> DeviceIdentitySpec {
        func template(_ key: String) throws(YAMLIssue) -> TextTemplate? {
            guard let text = try m.string(key) else { return nil }
            var parts: [TextTemplate.Part] = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{") {
                if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
                guard let close = rest[open...].firstIndex(of: "}") else {
                    throw m.issue(key, "'\(key)' has a '{' without its '}'")
                }
                parts.append(.field(try ref(String(rest[rest.index(after: open)..<close])) { m.issue(key, $0) }))
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty { parts.append(.literal(String(rest))) }
            return TextTemplate(parts: parts)
        }
        let serial = try template("serial"), model = try template("model")
        let clock = try ref(m, "clock")
        if let clock, case .dateTime = field(clock).type {} else if clock != nil {
            throw m.issue("clock", "'device.clock' must name a datetime field")
        }
        try m.finish()
        return DeviceIdentitySpec(serial: serial, model: model, clock: clock)
    }

    // MARK: commands and script

    private func parseCommand(_ name: String, _ parent: YAMLMap) throws(YAMLIssue) -> CommandSpec {
        let m = try parent.map(name)!
        let text = try m.string("bytes", required: true)!
        var tokens: [CommandSpec.Token] = []
        for t in text.split(separator: " ") {
            switch t {
            case "i.lo": tokens.append(.indexLow)
            case "i.hi": tokens.append(.indexHigh)
            case "cs": tokens.append(.checksum)
            default:
                guard let b = Self.bytes(String(t))?.first else {
                    throw m.issue("bytes", "'\(ProfileLimits.quoted(t))' in command '\(ProfileLimits.quoted(name))' is not a hex byte, i.lo, i.hi or cs")
                }
                tokens.append(.byte(b))
            }
        }
        guard m.has("writes") else {
            throw m.issue("bytes", "command '\(ProfileLimits.quoted(name))' must say 'writes: true' (it changes the device: clock set, memory clear) or 'writes: false'")
        }
        let writes = try m.bool("writes")!
        try m.finish()
        return CommandSpec(name: name, tokens: tokens, writes: writes)
    }

    /// The steps under `key`; `budget` is how many steps the whole script may still have.
    private func parseSteps(_ parent: YAMLMap, _ key: String, defaults: SessionSettings, depth: Int,
                            budget: inout Int) throws(YAMLIssue) -> [ScriptStep] {
        guard let list = try parent.maps(key), !list.isEmpty else {
            throw parent.issue(key, "'\(key)' needs at least one step")
        }
        budget -= list.count
        guard budget >= 0 else {
            throw parent.issue(key, "the session script has more than \(ProfileLimits.scriptSteps) steps (counting those inside for_each); shorten it")
        }
        var steps: [ScriptStep] = []
        for s in list {
            if s.has("for_each") {
                guard depth < ProfileLimits.scriptDepth else {
                    throw s.issue("for_each", "for_each loops nest more than \(ProfileLimits.scriptDepth) deep; flatten the script")
                }
                let count = try ref(s, "for_each", required: true)!
                try requireNumber(count, s, "for_each")
                let body = try parseSteps(s, "do", defaults: defaults, depth: depth + 1, budget: &budget)
                try s.finish()
                steps.append(.loop(count: count, body: body))
                continue
            }
            let name = try s.string("send", required: true)!
            guard let c = commands.firstIndex(where: { $0.name == name }) else {
                throw s.issue("send", "no command '\(ProfileLimits.quoted(name))' under 'commands' (declared: \(ProfileLimits.list(commands.map(\.name))))")
            }
            if commands[c].writes {
                throw s.issue("send", "command '\(ProfileLimits.quoted(name))' is declared 'writes: true'; pocgate never sends a command that changes the device. Remove this step")
            }
            var expect: [Int] = []
            for (text, at) in try s.located("expect") ?? [] {
                guard let r = records.firstIndex(where: { $0.name == text }) else {
                    throw at("no record '\(ProfileLimits.quoted(text))' to expect (records: \(ProfileLimits.list(records.map(\.name))))")
                }
                expect.append(r)
            }
            let timeout = try s.int("timeout_ms", in: 50...60_000) ?? defaults.replyTimeoutMillis
            let retries = try s.int("retries", in: 0...100) ?? defaults.retries
            try s.finish()
            steps.append(.send(command: c, expect: expect, timeoutMillis: timeout, retries: retries))
        }
        return steps
    }
}
