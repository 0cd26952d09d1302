public import PocGateCore

/// One `$xmem` result with its stable key.
public struct FreeStyleEntry: Sendable, Equatable {
    public var record: FreeStyleRecord
    /// The stable identity of this measurement within the meter (never the memory index).
    public var recordKey: String
    /// The result line as received, for provenance.
    public var raw: [UInt8]

    /// The reading, or nil with a reason.
    public func reading(profileID: String, serial: String) -> Result<Reading, FreeStyleProblem> {
        let line = String(decoding: raw, as: UTF8.self)
        guard record.type == UInt8(ascii: "G") else { return .failure(.ketone(line)) }
        guard record.marker == 0 else { return .failure(.unknownMarker(line)) }
        guard let value = record.value else { return .failure(.highWithoutLimit(line)) }
        let unit = "mg/dL"   // glucose results are mg/dL whatever the display unit
        guard let code = ObservationKind.glucose.loincCode(unit: unit) else { return .failure(.ketone(line)) }
        return .success(Reading(profileID: profileID, deviceSerial: serial, deviceModel: FreeStyleDump.model, recordKey: recordKey,
                                kind: .glucose, code: code, value: ExactDecimal(value), unit: unit,
                                deviceTime: record.time, flags: [], raw: raw))
    }
}

/// Why a FreeStyle dump or result did not become readings.
public enum FreeStyleProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A β-ketone result: its unit is not public yet.
    case ketone(String)
    /// A marker other than `0x00`: its meaning is not public yet.
    case unknownMarker(String)
    /// `HI `: above range, but the glucose limit that would bound the value is not public.
    case highWithoutLimit(String)
    /// The dump's checksum did not match what was received.
    case badDumpChecksum(expected: UInt16, carried: UInt16)
    /// The header's record count differs from the result lines received.
    case countMismatch(header: Int, received: Int)
    /// A line that does not belong where it stands in the dump.
    case unexpectedLine(String)

    public var description: String {
        switch self {
        case let .ketone(l): return "β-ketone result not supported yet (unit not public): \(l)"
        case let .unknownMarker(l): return "result marker other than 0x00 is not documented: \(l)"
        case let .highWithoutLimit(l): return "HI result: the meter's glucose limit is not public, so no value can be stated: \(l)"
        case let .badDumpChecksum(e, c):
            return "memory dump checksum 0x\(String(e, radix: 16, uppercase: true)) does not match 0x\(String(c, radix: 16, uppercase: true)); the dump is dropped"
        case let .countMismatch(h, r): return "dump header says \(h) results, \(r) received; the dump is dropped"
        case let .unexpectedLine(l): return "unexpected line in the memory dump: \(l); the dump is dropped"
        }
    }
}

/// What one line told the dump.
public enum FreeStyleDumpEvent: Sendable, Equatable {
    /// A complete dump whose checksum and count matched: its results, newest first as sent.
    case dump(serial: String, version: String, clock: LocalDateTime?, entries: [FreeStyleEntry])
    case problem(FreeStyleProblem)
    case none
}

/// Assembles the `$xmem` reply: a blank line, serial, version, clock, count, results, then
/// `0xHHHH  END`. Results are released only when the checksum over everything before `0x`
/// matches, because the lines themselves carry none.
public struct FreeStyleDump: Sendable {
    /// The model name written into readings.
    public static let model = "FreeStyle Optium"

    private enum Phase { case idle, serial, version, clock, count, results }

    public private(set) var serial: String?
    public private(set) var version: String?
    public private(set) var clock: LocalDateTime?
    private var phase = Phase.idle
    private var sum: UInt16 = 0
    private var expected = 0
    private var entries: [FreeStyleEntry] = []
    private var occurrences: [String: Int] = [:]

    public init() {}

    public mutating func consume(_ line: FreeStyleLine) -> FreeStyleDumpEvent {
        if case .blank = line.kind, phase == .idle || phase == .serial {
            begin(line)
            return .none
        }
        guard phase != .idle else { return .none }   // `$colq` replies, `CMD OK`, echoes
        if case let .end(carried) = line.kind, phase == .results {
            phase = .idle
            guard carried == sum else { return .problem(.badDumpChecksum(expected: sum, carried: carried)) }
            guard entries.count == expected else { return .problem(.countMismatch(header: expected, received: entries.count)) }
            return .dump(serial: serial ?? DecodedCapture.unknownSerial, version: version ?? "", clock: clock, entries: entries)
        }
        sum &+= line.sum
        switch (phase, line.kind) {
        case (.serial, .text): serial = line.text.text(); phase = .version
        case (.version, .text): version = line.text.text(); phase = .clock
        case let (.clock, .clock(t)): clock = t; phase = .count
        case let (.count, .count(n)): expected = n; phase = .results
        case let (.results, .record(r)): entries.append(entry(r, line))
        default:
            phase = .idle
            return .problem(.unexpectedLine(line.text.text()))
        }
        return .none
    }

    private mutating func begin(_ line: FreeStyleLine) {
        phase = .serial
        sum = line.sum
        expected = 0
        entries = []
        occurrences = [:]
    }

    private mutating func entry(_ r: FreeStyleRecord, _ line: FreeStyleLine) -> FreeStyleEntry {
        let minute = String(r.time.description.prefix(16))
        let tuple = "\(minute)|\(r.value.map(String.init) ?? "HI")|\(Character(Unicode.Scalar(r.type)))|\(Hex.byte(r.marker))"
        let n = occurrences[tuple, default: 0]
        occurrences[tuple] = n + 1
        return FreeStyleEntry(record: r, recordKey: "\(tuple)|\(n)", raw: line.text.array)
    }
}
