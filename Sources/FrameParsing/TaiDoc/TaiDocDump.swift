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
    /// The time reply waiting for its value reply (its time, or nil when not a date).
    private var pendingTime: (time: LocalDateTime?, frame: TaiDocFrame)?
    /// How often each (time, value, flags) tuple has been seen in this dump, for identical records.
    private var occurrences: [TaiDocRecordIdentity: Int] = [:]
    /// The model reply's d0 d1 that `model` was written from.
    private var modelWord: UInt16 = 0
    /// The eight serial bytes (high reply, then low) that `serial` was written from.
    private var serialBytes: UInt64 = 0
    /// The record key's text, written here and copied once into the key.
    private var keyText: [UInt8] = []
    /// The models the profile accepts and their layouts.
    public let models: TaiDocModels

    public init(models: TaiDocModels = .glucoseMeters) { self.models = models }

    /// Takes one meter→host frame.
    public mutating func consume(_ frame: TaiDocFrame) -> TaiDocDumpEvent {
        guard let command = TaiDocCommand(rawValue: frame.command) else { return .none }
        switch command {
        case .readModel:
            // The text is built once per device: a reply with the same bytes reuses it.
            let word = frame.word01
            if let m = model, word == modelWord { return .model(m) }
            let m = TaiDocPayload.model(frame.payload)
            model = m
            modelWord = word
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
            pendingTime = (TaiDocPayload.dateTime(frame.payload), frame)
            return .none
        case .readRecordValue:
            guard let pending = pendingTime else { return .recordProblem(.valueWithoutTime) }
            pendingTime = nil
            guard let time = pending.time else {
                return .recordProblem(.invalidTime(hex: Hex.string(pending.frame.bytes)))
            }
            let info = TaiDocPayload.value(frame.payload)
            let timeBytes = pending.frame.payload
            let flags = TaiDocPayload.TimeFlags(d2: timeBytes.2, d3: timeBytes.3)
            let layout = models.layout(model: model, bloodPressureBit: flags.bloodPressure)
            let identity = TaiDocRecordIdentity(time: time, layout: layout, info: info, payload: frame.payload, timeBytes: timeBytes)
            let n = occurrences[identity, default: 0]
            occurrences[identity] = n + 1
            identity.write(into: &keyText, occurrence: n)
            return .record(TaiDocRecord(time: time, timeFlags: flags, payloadBytes: frame.payload, layout: layout,
                                        recordKey: String(decoding: keyText, as: UTF8.self),
                                        raw: TaiDocFrame.bytes(pending.frame, frame)))
        case .connect, .readFirmware, .setClock, .powerOff, .clearMemory, .communicationMode:
            return .none
        }
    }

    private mutating func serialEvent() -> TaiDocDumpEvent {
        guard let high = serialHigh, let low = serialLow else { return .none }
        // The text is built once per device: the same eight bytes again reuse it.
        let packed = UInt64(high.0) | UInt64(high.1) << 8 | UInt64(high.2) << 16 | UInt64(high.3) << 24
            | UInt64(low.0) << 32 | UInt64(low.1) << 40 | UInt64(low.2) << 48 | UInt64(low.3) << 56
        if let s = serial, packed == serialBytes { return .serial(s) }
        let s = TaiDocPayload.serial(high: high, low: low)
        serial = s
        serialBytes = packed
        return .serial(s)
    }
}
