public import PocGateCore

/// One record as the meter reported it: the time reply and value reply for one memory index.
public struct TaiDocRecord: Sendable, Equatable {
    /// The record's time stamp (minute resolution, meter clock).
    public var time: LocalDateTime
    /// The value reply's fields.
    public var value: TaiDocPayload.ValueInfo
    /// The stable identity of this measurement within the meter (never the memory index).
    public var recordKey: String
    /// The two reply frames, time then value: 16 bytes of provenance.
    public var raw: [UInt8]

    /// The reading this record is, or nil with a reason when pocgate cannot code it yet.
    public func reading(profileID: String, serial: String, model: String) -> Result<Reading, TaiDocRecordProblem> {
        guard value.analyte == 0 else { return .failure(.unsupportedAnalyte(value.analyte)) }
        let unit = "mg/dL"   // TaiDoc glucose is always mg/dL.
        guard let code = ObservationKind.glucose.loincCode(unit: unit) else { return .failure(.unsupportedAnalyte(0)) }
        return .success(Reading(profileID: profileID, deviceSerial: serial, deviceModel: model, recordKey: recordKey,
                                kind: .glucose, code: code, value: ExactDecimal(Int(value.raw)), unit: unit,
                                deviceTime: time, flags: TaiDocPayload.flags(value), raw: raw))
    }
}

/// Why a TaiDoc record did not become a reading.
public enum TaiDocRecordProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// d3 names an analyte other than glucose; its scaling is not decoded yet.
    case unsupportedAnalyte(UInt8)
    /// The time reply is not a calendar date.
    case invalidTime(hex: String)
    /// A value reply arrived without the time reply before it.
    case valueWithoutTime

    public var description: String {
        switch self {
        case let .unsupportedAnalyte(a): return "analyte code \(a) in the value flags is not supported yet (only glucose, code 0)"
        case let .invalidTime(hex): return "record time \(hex) is not a valid date"
        case .valueWithoutTime: return "value reply without a preceding time reply"
        }
    }
}

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

    public init() {}

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
            let tuple = "\(Self.minuteStamp(time))|\(info.raw)|\(Hex.byte(info.flagByte))"
            let n = occurrences[tuple, default: 0]
            occurrences[tuple] = n + 1
            return .record(TaiDocRecord(time: time, value: info, recordKey: "\(tuple)|\(n)", raw: pending.raw + frame.bytes))
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

    private static func minuteStamp(_ t: LocalDateTime) -> String {
        String(t.description.prefix(16))
    }
}
