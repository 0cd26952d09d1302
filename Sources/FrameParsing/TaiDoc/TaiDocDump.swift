public import PocGateCore

/// What one reply frame told the dump.
public enum TaiDocDumpEvent: Sendable, Equatable {
    case model(String)
    case serial(String)
    case clock(LocalDateTime?)
    case recordCount(Int)
    case record(TaiDocRecord)
    case recordProblem(TaiDocRecordProblem)
    /// A reply that carries nothing for the dump (wake echo, power off, time half of a record).
    case none
}

/// Assembles a meter's replies, in the order a safe session asks for them, into the meter's
/// identity and its records. Used unchanged by the live session and by `pocgate replay`.
public struct TaiDocDump: Sendable {
    public private(set) var model: String?
    public private(set) var serial: String?
    public private(set) var clock: LocalDateTime?
    public private(set) var recordCount: Int?
    private var serialHigh: (UInt8, UInt8, UInt8, UInt8)?
    private var serialLow: (UInt8, UInt8, UInt8, UInt8)?
    private var pendingTime: (time: LocalDateTime?, raw: [UInt8])?
    /// How often each (time, value, flags) tuple has been seen in this dump, for identical records.
    private var occurrences: [String: Int] = [:]
    /// The models the profile accepts and their layouts.
    public let models: TaiDocModels

    public init(models: TaiDocModels = .glucoseMeters) { self.models = models }

    /// Takes one meter→host frame.
    public mutating func consume(_ frame: TaiDocFrame) -> TaiDocDumpEvent {
        guard let command = TaiDocCommand(rawValue: frame.command) else { return .none }
        switch command {
        case .readModel:
            let m = TaiDocPayload.model(frame.payload)
            model = m
            return .model(m)
        case .readSerialHigh:
            serialHigh = frame.payload
            return serialEvent()
        case .readSerialLow:
            serialLow = frame.payload
            return serialEvent()
        case .readClock:
            clock = TaiDocPayload.dateTime(frame.payload)
            return .clock(clock)
        case .readRecordCount:
            let n = Int(frame.word01)
            recordCount = n
            return .recordCount(n)
        case .readRecordTime:
            pendingTime = (TaiDocPayload.dateTime(frame.payload), frame.bytes)
            return .none
        case .readRecordValue:
            guard let pending = pendingTime else { return .recordProblem(.valueWithoutTime) }
            pendingTime = nil
            guard let time = pending.time else {
                return .recordProblem(.invalidTime(hex: Hex.string(pending.raw)))
            }
            let info = TaiDocPayload.value(frame.payload)
            let flags = TaiDocPayload.TimeFlags(d2: pending.raw[4], d3: pending.raw[5])
            let layout = models.layout(model: model, bloodPressureBit: flags.bloodPressure)
            let tuple = Self.identity(time: time, layout: layout, info: info, payload: frame.payload, timeBytes: pending.raw)
            let n = occurrences[tuple, default: 0]
            occurrences[tuple] = n + 1
            let p = frame.payload
            return .record(TaiDocRecord(time: time, timeFlags: flags, payload: [p.0, p.1, p.2, p.3], layout: layout,
                                        recordKey: "\(tuple)|\(n)", raw: pending.raw + frame.bytes))
        case .connect, .readFirmware, .setClock, .powerOff, .clearMemory, .communicationMode:
            return .none
        }
    }

    private mutating func serialEvent() -> TaiDocDumpEvent {
        guard let high = serialHigh, let low = serialLow else { return .none }
        let s = TaiDocPayload.serial(high: high, low: low)
        serial = s
        return .serial(s)
    }

    /// What a record is, for its key: a glucose record keeps the key it always had (minute,
    /// value, flag byte), so readings stored before the layouts were decoded are not stored
    /// again; other layouts are prefixed by their name and carry every value and flag byte.
    private static func identity(time: LocalDateTime, layout: Result<TaiDocLayout, TaiDocRecordProblem>,
                                 info: TaiDocPayload.ValueInfo, payload: (UInt8, UInt8, UInt8, UInt8), timeBytes: [UInt8]) -> String {
        let stamp = minuteStamp(time)
        switch layout {
        case .success(.glucose), .success(.glucoseCodeNumber):
            return "\(stamp)|\(info.raw)|\(Hex.byte(info.flagByte))"
        case .success(.multiAnalyte) where info.analyte == 0:
            return "\(stamp)|\(info.raw)|\(Hex.byte(info.flagByte))"
        case let .success(l):
            return "\(l.rawValue)|\(stamp)|\(hex([payload.0, payload.1, payload.2, payload.3]))|\(hex(Array(timeBytes[4...5])))"
        case .failure:
            return "undecoded|\(stamp)|\(hex([payload.0, payload.1, payload.2, payload.3]))|\(hex(Array(timeBytes[4...5])))"
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String { bytes.map(Hex.byte).joined() }

    private static func minuteStamp(_ t: LocalDateTime) -> String {
        String(t.description.prefix(16))
    }
}
