public import PocGateCore

/// What the meter said in its information reply.
public struct GlucoMenAreoInfo: Sendable, Equatable {
    /// The fourth field with its spaces removed.
    public var serial: String
    /// The fifth field, trimmed.
    public var firmware: String

    public init(serial: String, firmware: String) {
        self.serial = serial
        self.firmware = firmware
    }

    /// The reply's one line of five comma-separated fields, or nil. Fields 0–2 have no public
    /// meaning and are not read.
    public static func parse(_ block: GlucoMenAreoBlock) -> GlucoMenAreoInfo? {
        guard block.lines.count == 1 else { return nil }
        let line = block.lines[0]
        guard line.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { return nil }
        let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count == 5 else { return nil }
        let serial = String(decoding: fields[3].filter { $0 != 0x20 }, as: UTF8.self)
        guard !serial.isEmpty, serial.utf8.count <= DeviceText.maximumIdentityLength else { return nil }
        return GlucoMenAreoInfo(serial: serial, firmware: String(decoding: fields[4], as: UTF8.self).trimmingSpaces)
    }
}

/// One readings line with its stable key.
public struct GlucoMenAreoEntry: Sendable, Equatable {
    /// The fields, or nil when the line has no reading shape.
    public var record: GlucoMenAreoRecord?
    /// The stable identity within the meter: minute, type, value as sent and the occurrence of
    /// that tuple in the reply (records carry no index). The store keys a reading by device
    /// serial and this key, so with the serial it is the record's identity and a replug adds
    /// nothing.
    public var recordKey: String
    /// The line as received, for provenance.
    public var raw: [UInt8]

    /// The reading, or why not. Units stay as sent; the unit policy converts.
    public func reading(profileID: String, serial: String) -> Result<Reading, GlucoMenAreoProblem> {
        let line = GlucoMenAreoProblem.shown(raw)
        guard let record else { return .failure(.unparsed(line)) }
        guard record.type == "Glu" else { return .failure(.otherType(line)) }
        guard GlucoMenAreoRecord.units.contains(record.unit),
              let code = ObservationKind.glucose.loincCode(unit: record.unit) else { return .failure(.unknownUnit(line)) }
        guard let value = ExactDecimal(parsing: record.valueText), value > ExactDecimal(0) else { return .failure(.badValue(line)) }
        guard let flags = record.mealFlags else {
            return .failure(record.marking == "01" || record.marking == "08" ? .unmappedMarking(line) : .unknownMarking(line))
        }
        return .success(Reading(profileID: profileID, deviceSerial: serial, deviceModel: GlucoMenAreoDump.model, recordKey: recordKey,
                                kind: .glucose, code: code, value: value, unit: record.unit,
                                deviceTime: record.time, flags: flags, raw: raw))
    }
}

/// What one reply block told the dump.
public enum GlucoMenAreoEvent: Sendable, Equatable {
    /// The information reply.
    case info(GlucoMenAreoInfo)
    /// The readings reply: one entry per line, newest first as sent (empty: no readings).
    case readings([GlucoMenAreoEntry])
    case problem(GlucoMenAreoProblem)
}

/// Turns checked reply blocks into the meter's identity and its entries. Tells the replies
/// apart by shape: one line of five fields is the information reply, the `0x90 0x3D` line an
/// empty memory, anything else the readings reply (one entry per line).
public struct GlucoMenAreoDump: Sendable {
    /// The model name written into readings.
    public static let model = "GlucoMen areo"

    public private(set) var info: GlucoMenAreoInfo?

    public init() {}

    public mutating func consume(_ block: GlucoMenAreoBlock) -> GlucoMenAreoEvent {
        if let parsed = GlucoMenAreoInfo.parse(block) {
            info = parsed
            return .info(parsed)
        }
        if block.isNoReadings { return .readings([]) }
        var occurrences: [String: Int] = [:]
        var entries: [GlucoMenAreoEntry] = []
        entries.reserveCapacity(block.lines.count)
        for line in block.lines {
            let record = GlucoMenAreoRecord.parse(line)
            if record == nil, block.lines.count == 1 {
                return .problem(.unexpectedBlock(GlucoMenAreoProblem.shown(line)))
            }
            let tuple = record.map { "\(String($0.time.description.prefix(16)))|\($0.type)|\($0.valueText)" }
                ?? "line|\(Hex.string(line))"
            let n = occurrences[tuple, default: 0]
            occurrences[tuple] = n + 1
            entries.append(GlucoMenAreoEntry(record: record, recordKey: "\(tuple)|\(n)", raw: line))
        }
        return .readings(entries)
    }
}
