public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only FreeStyle Optium conversation: `$xmem` (re-sent up to `wake_attempts` times,
/// since the meter may ignore the first command after it is plugged in), then the dump. The
/// dump's lines carry no checksum of their own, so its results are handed to the sink only once
/// the dump checksum and record count matched (unplugged before that: nothing is stored, the
/// meter keeps its memory, the replug reads it all). Only `FreeStyleCommand`'s list can leave
/// the port: never `$tim` (set the clock).
public final class FreeStyleSession: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private var reader: FrameReader<FreeStyleLineDecoder>
    private var dump = FreeStyleDump()

    /// The session talks through `transport`, which is wrapped so only read commands leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: FreeStyleCommand.mayTransmit)
        reader = FrameReader(FreeStyleLineDecoder(), link: self.transport, chunkSize: 512)
        self.profile = profile
        self.logger = logger
    }

    /// Lines skipped so far (noise), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        transport.discardInput()
        var answered = false
        for attempt in 1...max(profile.session.wakeAttempts, 1) {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 1 {
                logger.debug("no reply to $xmem, re-sending", metadata: ["attempt": "\(attempt)"])
            }
            do {
                try transport.write(FreeStyleCommand.memoryDump.bytes, timeoutMillis: profile.session.replyTimeoutMillis)
            } catch {
                throw SessionEnding(error)
            }
            while let line = try nextLine() {
                answered = true
                switch dump.consume(line) {
                case let .dump(serial, _, clock, entries):
                    try deliver(serial: serial, clock: clock, entries: entries, sink, &summary)
                    return
                case let .problem(problem):
                    sink.rejected("\(problem)", raw: [])
                    throw SessionEnding(outcome: .transportFailed("memory dump refused: \(problem)"))
                case .none:
                    continue
                }
            }
            if answered { throw SessionEnding(outcome: .timedOut(command: FreeStyleCommand.memoryDump.rawValue)) }
        }
        throw SessionEnding(outcome: .noAnswer)
    }

    private func deliver(serial: String, clock: LocalDateTime?, entries: [FreeStyleEntry], _ sink: any SessionSink,
                         _ summary: inout SessionSummary) throws(SessionEnding) {
        summary.deviceSerial = serial
        summary.recordsAnnounced = entries.count
        do {
            try sink.identified(serial: serial, model: FreeStyleDump.model, deviceClock: clock)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        for entry in entries {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            summary.recordsRead += 1
            switch entry.reading(profileID: profile.id, serial: serial) {
            case let .success(reading):
                if try sink.deliver(reading) { summary.recordsNew += 1 }
            case let .failure(problem):
                sink.rejected("\(problem)", raw: entry.raw)
            }
        }
    }

    /// The next line, waiting up to the reply timeout; nil on timeout.
    private func nextLine() throws(SessionEnding) -> FreeStyleLine? {
        try reader.next(within: profile.session.replyTimeoutMillis)
    }
}
