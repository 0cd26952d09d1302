public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only LifeScan conversation over the binary link layer, for the meter the profile
/// names (`lifescan.meter`):
///
/// - UltraEasy / UltraMini: open the link (an empty frame with the disconnect bit, answered by
///   an acknowledge), then serial, clock (read only), record count (record 501) and every
///   record, newest first. Every request carries the sender's S and E bits, toggled after each
///   answered exchange, and each answer is acknowledged with an empty frame.
/// - Verio IQ: no link opening and no acknowledges, the link-control byte always 0: version,
///   serial, clock (read only), record count (`03 27 00`) and every record (`03 21 n`).
///
/// Each record is handed to the sink as it arrives. Only `LifeScanRequest`'s read requests and
/// link-only frames can leave the port: never erase (`05 1A`, `03 1A`), never a clock write
/// (`05 20 01`, `03 20 01`).
public final class LifeScanSession: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let meter: LifeScanMeter
    private let logger: Logger
    private var reader: FrameReader<LifeScanFrameDecoder>
    private var dump = LifeScanDump()
    /// The S bit of the next request and the E bit, as the public driver keeps them.
    private var sendBit = false
    private var expectBit = false

    /// The session talks through `transport`, which is wrapped so only read requests leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: LifeScanRequest.mayTransmit)
        reader = FrameReader(LifeScanFrameDecoder(), link: self.transport, chunkSize: 512)
        self.profile = profile
        self.meter = profile.lifescanMeter ?? .ultraEasy
        self.logger = logger
    }

    /// Frames skipped so far (noise, bad CRCs), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    /// The link-only frame that opens (and closes) a session.
    public static let openLink = LifeScanFrame(link: .disconnect)

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        transport.discardInput()
        let requests = Requests(meter)
        if meter == .ultraEasy {
            try openLink(sink)
        }
        if let version = requests.version {
            try readVersion(version, sink)
        }
        guard case let .serial(serial)? = try exchange(requests.serial, sink) else {
            throw SessionEnding(outcome: .transportFailed("meter did not report its serial"))
        }
        summary.deviceSerial = serial
        _ = try exchange(requests.clock, sink)
        do {
            try sink.identified(serial: serial, model: meter.modelName, deviceClock: dump.clock)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        guard case let .recordCount(count)? = try exchange(requests.count, sink) else {
            throw SessionEnding(outcome: .transportFailed("meter did not report its record count"))
        }
        summary.recordsAnnounced = count
        for index in 0..<count {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            switch try exchange(requests.record(UInt16(index)), sink) {
            case let .record(record)?:
                summary.recordsRead += 1
                switch record.reading(profileID: profile.id, serial: serial, model: meter.modelName) {
                case let .success(reading):
                    if try sink.deliver(reading) { summary.recordsNew += 1 }
                case let .failure(problem):
                    sink.rejected("\(problem)", raw: record.raw)
                }
            case let .problem(problem)?:
                sink.rejected("record \(index): \(problem)", raw: [])
            default:
                break
            }
        }
    }

    /// The requests of one meter's conversation.
    struct Requests {
        var version: LifeScanRequest?
        var serial: LifeScanRequest
        var clock: LifeScanRequest
        var count: LifeScanRequest
        var record: (UInt16) -> LifeScanRequest

        init(_ meter: LifeScanMeter) {
            switch meter {
            case .ultraEasy:
                version = nil
                serial = .readSerial
                clock = .readClock(.ultraEasy)
                count = .readRecordCount(.ultraEasy)
                record = { .readRecord(.ultraEasy, index: $0) }
            case .verioIQ:
                version = .readVerioIQVersion
                serial = .readVerioIQSerial
                clock = .readClock(.verio)
                count = .readRecordCount(.verio)
                record = { .readVerioIQRecord(index: $0) }
            }
        }
    }

    /// The firmware version, for the debug log only: a meter that leaves it unanswered or
    /// answers it in another layout is still read (the notes doubt the reply's layout).
    private func readVersion(_ request: LifeScanRequest, _ sink: any SessionSink) throws(SessionEnding) {
        do {
            let event = try exchange(request, sink)
            logger.debug("meter version", metadata: ["reply": "\(event.map { "\($0)" } ?? "none")"])
        } catch {
            guard case .timedOut = error.outcome else { throw error }
            logger.debug("meter version unanswered")
        }
    }

    /// Sends the link-opening frame until the meter acknowledges it.
    private func openLink(_ sink: any SessionSink) throws(SessionEnding) {
        for attempt in 1...max(profile.session.wakeAttempts, 1) {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            try send(Self.openLink)
            while let frame = try nextFrame() {
                if frame.link.contains(.acknowledge) {
                    logger.debug("link open", metadata: ["attempt": "\(attempt)"])
                    return
                }
            }
        }
        throw SessionEnding(outcome: .noAnswer)
    }

    /// Sends `request` (re-sent up to the profile's retries with the same S bit) and returns
    /// what its reply told the dump; a reply is acknowledged at once. Nil: never answered.
    private func exchange(_ request: LifeScanRequest, _ sink: any SessionSink) throws(SessionEnding) -> LifeScanDumpEvent? {
        let frame = request.frame(link: link())
        for attempt in 0...profile.session.retries {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 0 {
                logger.warning("no reply, re-sending", metadata: ["code": "\(LogCode.noReplyResending)",
                                                                  "request": "\(Hex.string(request.message))", "attempt": "\(attempt)"])
            }
            try send(frame)
            while let reply = try nextFrame() {
                // The meter's acknowledge of the request carries no message: wait on.
                guard !reply.message.isEmpty else { continue }
                if meter == .ultraEasy {
                    sendBit.toggle()
                    expectBit.toggle()
                    try send(LifeScanFrame(link: link().union(.acknowledge)))
                }
                _ = dump.consume(frame)
                return dump.consume(reply)
            }
        }
        throw SessionEnding(outcome: .timedOut(command: Hex.string(request.message)))
    }

    private func link() -> LifeScanLink {
        var l: LifeScanLink = []
        if sendBit { l.insert(.send) }
        if expectBit { l.insert(.expectReceive) }
        return l
    }

    private func send(_ frame: LifeScanFrame) throws(SessionEnding) {
        do {
            try transport.write(frame.bytes, timeoutMillis: profile.session.replyTimeoutMillis)
        } catch {
            throw SessionEnding(error)
        }
    }

    /// The next frame, waiting up to the reply timeout; nil on timeout.
    private func nextFrame() throws(SessionEnding) -> LifeScanFrame? {
        try reader.next(within: profile.session.replyTimeoutMillis)
    }
}
