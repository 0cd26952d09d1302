public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only GlucoMen areo conversation: the information request (0xA2, up to
/// `wake_attempts` times) gives the serial; only once it answered is the readings request
/// (0x80) sent, and its one block is handed to the sink line by line. A port whose device
/// never answers 0xA2 with a checked information block gets nothing else. The meter has no
/// clock-read command: readings keep their device time, checked by the clock policy with no
/// clock at connect. Only `GlucoMenAreoCommand`'s list can leave the port: never 0xC2 0xA1
/// (set the date and time).
public final class GlucoMenAreoSession: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private var reader: FrameReader<GlucoMenAreoBlockDecoder>
    private var dump = GlucoMenAreoDump()

    /// The session talks through `transport`, which is wrapped so only read commands leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: GlucoMenAreoCommand.mayTransmit)
        reader = FrameReader(GlucoMenAreoBlockDecoder(), link: self.transport, chunkSize: 512)
        self.profile = profile
        self.logger = logger
    }

    /// Bytes skipped so far (noise, bad checksums), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole block.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        transport.discardInput()
        var info: GlucoMenAreoInfo?
        for attempt in 1...max(profile.session.wakeAttempts, 1) {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 1 { logger.debug("no information reply, re-sending 0xA2", metadata: ["attempt": "\(attempt)"]) }
            guard let block = try exchange(.info) else { continue }
            switch dump.consume(block) {
            case let .info(i): info = i
            case let .problem(p): sink.rejected("\(p)", raw: [])
            case .readings: sink.rejected("\(GlucoMenAreoProblem.badInfo("\(block.lines.count) lines"))", raw: [])
            }
            if info != nil { break }
        }
        guard let info else { throw SessionEnding(outcome: .noAnswer) }
        summary.deviceSerial = info.serial
        do {
            try sink.identified(serial: info.serial, model: GlucoMenAreoDump.model, deviceClock: nil)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        var entries: [GlucoMenAreoEntry]?
        for _ in 1...max(profile.session.retries, 1) where entries == nil {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            guard let block = try exchange(.readings) else { continue }
            switch dump.consume(block) {
            case let .readings(e): entries = e
            case let .problem(p): sink.rejected("\(p)", raw: [])
            case .info: sink.rejected("\(GlucoMenAreoProblem.unexpectedBlock("information reply to 0x80"))", raw: [])
            }
        }
        guard let entries else { throw SessionEnding(outcome: .timedOut(command: "0x80")) }
        try deliver(serial: info.serial, entries: entries, sink, &summary)
    }

    private func deliver(serial: String, entries: [GlucoMenAreoEntry], _ sink: any SessionSink,
                         _ summary: inout SessionSummary) throws(SessionEnding) {
        summary.recordsAnnounced = entries.count
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

    /// The most bytes one reply may take without a checked block: two maximum blocks. A device
    /// that keeps sending other bytes is not an areo, and cannot hold the port forever.
    static let maximumReplyBytes = 2 * GlucoMenAreoBlockDecoder.maximumBlockLength

    /// Sends `command` and waits for one checked block. The reply timeout runs between bytes,
    /// not over the whole block: a full memory takes over a minute at 9600 baud. Nil when the
    /// meter fell silent before a block was whole.
    private func exchange(_ command: GlucoMenAreoCommand) throws(SessionEnding) -> GlucoMenAreoBlock? {
        reader.discard()
        do {
            try transport.write(command.bytes, timeoutMillis: profile.session.replyTimeoutMillis)
        } catch {
            throw SessionEnding(error)
        }
        var read = 0
        while true {
            if let block = reader.buffered() { return block }
            guard read <= Self.maximumReplyBytes else {
                throw SessionEnding(outcome: .notThisProtocol("\(read) bytes in reply to 0x\(Hex.byte(command.rawValue)) without a checked reply block"))
            }
            let n = try reader.fill(timeoutMillis: profile.session.replyTimeoutMillis)
            if n == 0 { return nil }
            read += n
        }
    }
}
