public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The safe, read-only TaiDoc conversation: wake, model, serial, clock, record count, then the
/// time and value of every record (newest first), each handed to the sink as it arrives.
public final class TaiDocSession: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private var reader: FrameReader<TaiDocFrameDecoder>
    private var dump: TaiDocDump

    /// The session talks through `transport`, which is wrapped so only read commands leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: TaiDocCommand.mayTransmit)
        reader = FrameReader(TaiDocFrameDecoder(direction: .meterToHost), link: self.transport, chunkSize: 256)
        self.profile = profile
        self.logger = logger
        dump = TaiDocDump(models: profile.taidocModelTable)
    }

    /// Frames skipped so far (garbage, bad checksums), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    /// Internal control flow: how the conversation stopped.

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        transport.discardInput()
        try wake(sink)
        _ = try exchange(.request(.readModel), sink)
        _ = try exchange(.request(.readSerialHigh), sink)
        _ = try exchange(.request(.readSerialLow), sink)
        _ = try exchange(.request(.readClock), sink)
        guard let model = dump.model, let serial = dump.serial else {
            throw SessionEnding(outcome: .transportFailed("meter did not report model and serial"))
        }
        summary.deviceSerial = serial
        do {
            try sink.identified(serial: serial, model: "TD-\(model)", deviceClock: dump.clock)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        if dump.models.layouts[model] == nil {
            // Read on, so every record's bytes are kept as a problem; none is decoded.
            logger.warning("device model not listed by the profile: its records are kept undecoded, never read as glucose", metadata: [
                "code": "\(LogCode.modelNotListed)", "meter": "\(serial)", "model": "\(model)", "profile": "\(profile.id)",
                "fix": "add the model and its record layouts to taidoc.models of a profile",
            ])
        }
        _ = try exchange(.request(.readRecordCount), sink)
        let count = dump.recordCount ?? 0
        summary.recordsAnnounced = count
        for index in 0..<count {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            _ = try exchange(.recordRequest(.readRecordTime, index: UInt16(index)), sink)
            let event = try exchange(.recordRequest(.readRecordValue, index: UInt16(index)), sink)
            switch event {
            case let .record(record):
                summary.recordsRead += 1
                switch record.readings(profileID: profile.id, serial: serial, model: "TD-\(model)") {
                case let .success(readings):
                    var new = false
                    for reading in readings {
                        if try sink.deliver(reading) { new = true }
                    }
                    if new { summary.recordsNew += 1 }
                case let .failure(problem):
                    // No record index in the reason: it shifts with every new measurement.
                    sink.rejected("\(problem)", raw: record.raw)
                }
            case let .recordProblem(problem):
                sink.rejected("record \(index): \(problem)", raw: [])
            default:
                break
            }
        }
        if profile.session.powerOffWhenDone {
            // Best effort: a meter that does not echo the power-off is fine.
            try? transport.write(TaiDocFrame.request(.powerOff).bytes, timeoutMillis: profile.session.replyTimeoutMillis)
        }
    }

    /// Sends connect until the meter answers with 0x22, 0x24 or 0x54.
    private func wake(_ sink: any SessionSink) throws(SessionEnding) {
        let wake = TaiDocFrame.request(.connect)
        for attempt in 1...profile.session.wakeAttempts {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            try send(wake)
            if let reply = try awaitReply(accepting: [0x22, 0x24, 0x54]) {
                logger.debug("meter awake", metadata: ["attempt": "\(attempt)", "reply": "\(Hex.byte(reply.command))"])
                return
            }
        }
        throw SessionEnding(outcome: .noAnswer)
    }

    /// Sends `request` and waits for the reply that echoes its command, re-sending after a
    /// timeout or a "communication mode" (0x54) reply, up to the profile's retries.
    private func exchange(_ request: TaiDocFrame, _ sink: any SessionSink) throws(SessionEnding) -> TaiDocDumpEvent {
        for attempt in 0...profile.session.retries {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 0 {
                logger.warning("no reply, re-sending", metadata: ["code": "\(LogCode.noReplyResending)", "command": "\(Hex.byte(request.command))", "attempt": "\(attempt)"])
                reader.discard()
            }
            try send(request)
            if let reply = try awaitReply(accepting: [request.command]) {
                return dump.consume(reply)
            }
        }
        throw SessionEnding(outcome: .timedOut(command: "0x" + Hex.byte(request.command)))
    }

    private func send(_ frame: TaiDocFrame) throws(SessionEnding) {
        do {
            try transport.write(frame.bytes, timeoutMillis: profile.session.replyTimeoutMillis)
        } catch {
            throw SessionEnding(error)
        }
    }

    /// Reads until a reply with one of `commands` arrives (nil on timeout). Other frames are
    /// dropped (late replies to an earlier attempt); garbage is skipped by the decoder.
    private func awaitReply(accepting commands: Set<UInt8>) throws(SessionEnding) -> TaiDocFrame? {
        let deadline = Monotonic.millis() + Int64(profile.session.replyTimeoutMillis)
        while let frame = try reader.next(until: deadline) {
            if commands.contains(frame.command) { return frame }
            if frame.command == TaiDocCommand.communicationMode.rawValue { return nil }
            logger.debug("unexpected reply dropped", metadata: ["frame": "\(Hex.string(frame.bytes))"])
        }
        return nil
    }
}
