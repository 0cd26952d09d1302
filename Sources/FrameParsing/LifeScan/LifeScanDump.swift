public import PocGateCore

/// What one LifeScan frame told the dump.
public enum LifeScanDumpEvent: Sendable, Equatable {
    /// A host request; the next data frame is its reply.
    case request(LifeScanRequest)
    case firmware(String)
    case serial(String)
    case clock(LocalDateTime?)
    /// The display unit (`mg/dL` or `mmol/L`); records stay in mg/dL.
    case unit(String)
    case recordCount(Int)
    case record(LifeScanRecord)
    case problem(LifeScanProblem)
    /// A link-only frame (acknowledge, disconnect) or nothing for the dump.
    case none
}

/// Assembles a LifeScan conversation (requests and replies in the order they crossed the line)
/// into the meter's identity and records. Replies carry no command, so each one is paired with
/// the request before it.
public struct LifeScanDump: Sendable {
    public private(set) var firmware: String?
    public private(set) var serial: String?
    public private(set) var clock: LocalDateTime?
    public private(set) var displayUnit: String?
    public private(set) var recordCount: Int?
    public private(set) var dialect: LifeScanDialect?
    /// The model the requests name: a Verio IQ once one of its own requests was seen, else the
    /// dialect's model.
    public private(set) var modelName: String?
    private var pending: LifeScanRequest?
    /// How often each record key's text (without its occurrence) was seen, by its UTF-8 bytes.
    private var occurrences = KeyTextCounts()
    /// The record key's text, written here and copied once into the key.
    private var keyText: [UInt8] = []

    public init() {}

    /// Takes one frame, from either direction.
    public mutating func consume(_ frame: LifeScanFrame) -> LifeScanDumpEvent {
        guard !frame.message.isEmpty else { return .none }
        if let request = LifeScanRequest(message: frame.message) {
            // A request, or the host re-sending one that went unanswered.
            pending = request
            dialect = request.dialect
            if request.isVerioIQ {
                modelName = LifeScanMeter.verioIQ.modelName
            } else if modelName != LifeScanMeter.verioIQ.modelName || request.dialect != .verio {
                modelName = request.dialect.modelName
            }
            return .request(request)
        }
        let m = frame.message.array
        guard let request = pending else { return .problem(.unpaired(Hex.string(m))) }
        pending = nil
        return reply(m, to: request)
    }

    private mutating func reply(_ m: [UInt8], to request: LifeScanRequest) -> LifeScanDumpEvent {
        let d = request.dialect
        guard m.count >= 2, m[0] == d.rawValue else { return .problem(.undecodable(Hex.string(m))) }
        let okStatus = request == .readRecordCount(.ultraEasy) ? LifeScanPayload.ultraEasyCount : LifeScanPayload.success
        guard m[1] == okStatus else { return .problem(.errorReply(status: m[1], hex: Hex.string(m))) }
        switch request {
        case .readVersion, .readVerioIQVersion:
            guard m.count >= 3, m.count >= 3 + Int(m[2]), let v = LifeScanPayload.ascii(m[3..<(3 + Int(m[2]))]) else {
                return .problem(.undecodable(Hex.string(m)))
            }
            firmware = v
            return .firmware(v)
        case .readSerial, .readVerioIQSerial:
            // The Verio IQ's serial ends with a NUL; what follows it is not part of it.
            let text = request == .readSerial ? m[2...] : m[2...].prefix { $0 != 0 }
            guard let s = LifeScanPayload.ascii(text), !s.isEmpty else { return .problem(.undecodable(Hex.string(m))) }
            serial = s
            return .serial(s)
        case .readUnit, .readVerioIQUnit:
            guard m.count >= 3, m[2] <= 1 else { return .problem(.undecodable(Hex.string(m))) }
            let unit = m[2] == 0 ? "mg/dL" : "mmol/L"
            displayUnit = unit
            return .unit(unit)
        case .readClock:
            clock = LifeScanPayload.time(m, at: 2, dialect: d)
            return .clock(clock)
        case .readRecordCount:
            guard let n = LifeScanPayload.u16(m, 2) else { return .problem(.undecodable(Hex.string(m))) }
            recordCount = Int(n)
            return .recordCount(Int(n))
        case .readRecord, .readVerioIQRecord:
            let decoded = request.isVerioIQ ? LifeScanPayload.verioIQRecord(m) : LifeScanPayload.record(m, dialect: d)
            guard let fields = decoded else { return .problem(.undecodable(Hex.string(m))) }
            // time|mg/dL, then |meal and other flag bytes in hex when the dialect has them, |occurrence
            keyText.removeAll(keepingCapacity: true)
            keyText.appendTime(fields.time)
            keyText.append(UInt8(ascii: "|"))
            keyText.appendDecimal(fields.mgdL)
            if let meal = fields.meal, let other = fields.otherFlags ?? fields.control {
                keyText.append(UInt8(ascii: "|"))
                keyText.appendHex(meal)
                keyText.appendHex(other)
            }
            let n = occurrences.next(keyText)
            keyText.append(UInt8(ascii: "|"))
            keyText.appendDecimal(n)
            return .record(LifeScanRecord(fields: fields, dialect: d, recordKey: String(decoding: keyText, as: UTF8.self), raw: m))
        }
    }
}
