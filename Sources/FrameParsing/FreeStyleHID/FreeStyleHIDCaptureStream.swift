public import PocGateCore

/// `pocgate replay` of a FreeStyle HID capture: the meter's input reports back to back (64
/// bytes each). Text replies are taken in the order the live session asks: serial, date, time
/// (asked only after a date reply that was not `CMD Fail!`), then the result list, whose
/// records become readings exactly as the session reads them.
public struct FreeStyleHIDCaptureStream: CaptureStreamDecoder {
    private enum Step { case serial, date, time, results, done }

    private let profileID: String
    private let model: FreeStyleHIDModel
    private var partial: [UInt8] = []
    private var reply = FreeStyleTextReply()
    private var step = Step.serial
    private var initSerial = ""
    private var serial: String?
    private var dateMessage: [UInt8]?
    private var clock: LocalDateTime?
    private var counters = DecodeCounters()

    public init(profileID: String, model: FreeStyleHIDModel) {
        self.profileID = profileID
        self.model = model
    }

    public mutating func feed(_ bytes: [UInt8], receivedAt: LocalDateTime, emit: (CaptureEvent) -> Void) {
        var i = 0
        let size = FreeStyleHIDMessage.reportSize
        if !partial.isEmpty {
            let need = min(size - partial.count, bytes.count)
            partial += bytes[0..<need]
            i = need
            if partial.count == size {
                let report = partial
                partial.removeAll(keepingCapacity: true)
                take(report[...], emit)
            }
        }
        while bytes.count - i >= size {
            take(bytes[i..<(i + size)], emit)
            i += size
        }
        if i < bytes.count { partial += bytes[i...] }
    }

    public mutating func finish(emit: (CaptureEvent) -> Void) -> CaptureStreamSummary {
        var s = CaptureStreamSummary()
        s.deviceSerial = serial ?? (initSerial.isEmpty || initSerial.hasPrefix("00000000") ? nil : initSerial)
        s.deviceModel = model.rawValue
        s.deviceClock = clock
        s.counters = counters
        s.pendingBytes = partial.count + reply.bytes.count
        return s
    }

    private mutating func take(_ report: ArraySlice<UInt8>, _ emit: (CaptureEvent) -> Void) {
        guard let message = FreeStyleHIDMessage.parse(report: report) else {
            counters.malformed += 1
            return
        }
        counters.frames += 1
        if message.type == FreeStyleHIDType.querySerialReply {
            initSerial = String(decoding: message.payload.prefix { $0 != 0 }, as: UTF8.self)
        }
        guard message.type == FreeStyleHIDType.text, step != .done else { return }
        guard let outcome = reply.append(message.payload) else { return }
        reply = FreeStyleTextReply()
        answered(outcome, emit)
    }

    private mutating func answered(_ outcome: FreeStyleTextReply.Outcome, _ emit: (CaptureEvent) -> Void) {
        switch step {
        case .serial:
            if case let .ok(m) = outcome { serial = FreeStyleHIDModel.line(m) }
            step = .date
        case .date:
            if case let .ok(m) = outcome { dateMessage = m; step = .time } else { step = .results }
        case .time:
            if case let .ok(m) = outcome, let d = dateMessage { clock = FreeStyleHIDModel.clock(date: d, time: m) }
            step = .results
        case .results:
            step = .done
            results(outcome, emit)
        case .done:
            break
        }
    }

    private func results(_ outcome: FreeStyleTextReply.Outcome, _ emit: (CaptureEvent) -> Void) {
        let message: [UInt8]
        switch outcome {
        case .failed: emit(.problem("the meter refused \(model.resultsCommand.rawValue) (CMD Fail!)")); return
        case let .problem(p): emit(.problem(p.description)); return
        case let .ok(m): message = m
        }
        switch FreeStyleRecordList.parse(message) {
        case let .failure(p): emit(.problem(p.description))
        case let .success(records):
            var id = serial ?? initSerial
            if id.isEmpty || id.hasPrefix("00000000") { id = DecodedCapture.unknownSerial }
            for record in records {
                switch model.reading(record, profileID: profileID, serial: id) {
                case let .reading(r): emit(.reading(r))
                case let .notStored(p): emit(.problem(p.description))
                case .notAResult: break
                }
            }
        }
    }
}
