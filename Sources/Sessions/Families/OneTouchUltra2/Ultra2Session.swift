public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only OneTouch Ultra 2 conversation: serial (`DM@`), clock (`DMF`, read only),
/// then the whole dump (`DMP`: a header with the record count, then one line per record),
/// each record handed to the sink as it arrives. Only `Ultra2Command`'s list can leave the
/// port: never `DMZ` (zero the log), never `DMT` (set the clock).
public final class Ultra2Session: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private var reader: FrameReader<Ultra2LineDecoder>
    private var dump = Ultra2Dump()

    /// The session talks through `transport`, which is wrapped so only read commands leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: Ultra2Command.mayTransmit)
        reader = FrameReader(Ultra2LineDecoder(), link: self.transport, chunkSize: 512)
        self.profile = profile
        self.logger = logger
    }

    /// Lines skipped so far (noise, bad checksums), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        transport.discardInput()
        var serial: String?
        for attempt in 1...max(profile.session.wakeAttempts, 1) {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if case let .serial(s)? = try exchange(.readSerial, sink, accepting: { if case .serial = $0 { return true } else { return false } }) {
                serial = s
                break
            }
            logger.debug("no serial reply", metadata: ["attempt": "\(attempt)"])
        }
        guard let serial else { throw SessionEnding(outcome: .noAnswer) }
        summary.deviceSerial = serial
        _ = try exchange(.readClock, sink, accepting: { if case .clock = $0 { return true } else { return false } })
        do {
            try sink.identified(serial: serial, model: Ultra2Dump.model, deviceClock: dump.clock)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        guard case let .dumpHeader(count, _)? = try exchange(.dump, sink, accepting: {
            if case .dumpHeader = $0 { return true } else { return false }
        }) else {
            throw SessionEnding(outcome: .timedOut(command: Ultra2Command.dump.rawValue))
        }
        summary.recordsAnnounced = count
        var lines = 0
        while lines < count {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            guard let event = try nextEvent() else {
                throw SessionEnding(outcome: .timedOut(command: Ultra2Command.dump.rawValue))
            }
            switch event {
            case let .entry(entry):
                lines += 1
                summary.recordsRead += 1
                switch entry.reading(profileID: profile.id, serial: serial) {
                case let .success(reading):
                    if try sink.deliver(reading) { summary.recordsNew += 1 }
                case let .failure(problem):
                    sink.rejected("\(problem)", raw: entry.raw)
                }
            case let .problem(problem):
                if case .unparsed = problem { lines += 1 }
                sink.rejected("\(problem)", raw: [])
            default:
                break
            }
        }
    }

    /// Sends `command` (re-sent up to the profile's retries) and returns the first dump event
    /// `accepting` takes; other lines are consumed by the dump and dropped. Nil on timeout.
    private func exchange(_ command: Ultra2Command, _ sink: any SessionSink,
                          accepting: (Ultra2DumpEvent) -> Bool) throws(SessionEnding) -> Ultra2DumpEvent? {
        for attempt in 0...profile.session.retries {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 0 {
                logger.warning("no reply, re-sending", metadata: ["code": "\(LogCode.noReplyResending)", "command": "\(command.rawValue)",
                                                                  "attempt": "\(attempt)"])
            }
            do {
                try transport.write(command.bytes, timeoutMillis: profile.session.replyTimeoutMillis)
            } catch {
                throw SessionEnding(error)
            }
            while let event = try nextEvent() {
                if accepting(event) { return event }
            }
        }
        return nil
    }

    /// The next line's dump event, waiting up to the reply timeout; nil on timeout.
    private func nextEvent() throws(SessionEnding) -> Ultra2DumpEvent? {
        guard let line = try reader.next(within: profile.session.replyTimeoutMillis) else { return nil }
        return dump.consume(line)
    }
}
