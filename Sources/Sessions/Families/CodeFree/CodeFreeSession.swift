public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only SD CodeFree conversation: the meter opens with its challenge (`10 30`), the
/// host answers (`10 40`), the meter gives its record count, and the host fetches (`10 60`)
/// exactly that many records, newest first, each handed to the sink as it arrives.
///
/// A fetch past the last record disconnects the meter and any other command shows E-5 until
/// a power cycle, so nothing but `CodeFreeCommand`'s two frames can leave the port, and never
/// more fetches than the count. The meter reports no serial number and no clock: the device
/// is named by `fallbackSerial` (its cable's USB serial, else this gateway and port).
public final class CodeFreeSession: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private let serial: String
    private var reader: FrameReader<CodeFreeFrameDecoder>
    private var dump = CodeFreeDump()

    /// The session talks through `transport`, which is wrapped so only the answer and the
    /// fetch leave it. `fallbackSerial` is the identity readings are filed under.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger, fallbackSerial: String) {
        self.transport = ReadOnlyLink(transport, mayTransmit: CodeFreeCommand.mayTransmit)
        reader = FrameReader(CodeFreeFrameDecoder(direction: .meterToHost), link: self.transport, chunkSize: 256)
        self.profile = profile
        self.logger = logger
        serial = fallbackSerial
    }

    /// Frames skipped so far (garbage, bad checksums), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        // No discardInput: the challenge may already wait in the buffer (the meter opens when
        // it is switched on).
        try awaitChallenge(sink)
        try send(.answerChallenge)
        let count = try awaitCount()
        summary.deviceSerial = serial
        summary.recordsAnnounced = count
        do {
            try sink.identified(serial: serial, model: CodeFreeDump.model, deviceClock: nil)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        var fetched = 0
        while fetched < count {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            try send(.fetchOrDisconnect)
            fetched += 1
            let entry = try awaitRecord(fetched)
            summary.recordsRead += 1
            switch entry.reading(profileID: profile.id, serial: serial) {
            case let .success(reading):
                if try sink.deliver(reading) { summary.recordsNew += 1 }
            case let .failure(problem):
                sink.rejected("\(problem)", raw: entry.raw)
            }
        }
    }

    /// Waits for the meter's opening challenge for the listen window (`quiet_time_s`, else
    /// `reply_timeout_ms` × `wake_attempts`); none: the port was quiet, nothing was sent.
    private func awaitChallenge(_ sink: any SessionSink) throws(SessionEnding) {
        let window = profile.session.listenWindowMillis(default: profile.session.replyTimeoutMillis * max(1, profile.session.wakeAttempts))!
        let deadline = Monotonic.millis() + Int64(window)
        while Monotonic.millis() < deadline {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            let slice = min(deadline, Monotonic.millis() + Int64(profile.session.replyTimeoutMillis))
            while let frame = try reader.next(until: slice) {
                if case .challenge = dump.consume(frame) { return }
            }
        }
        throw SessionEnding(outcome: .quiet)
    }

    private func awaitCount() throws(SessionEnding) -> Int {
        while let frame = try reader.next(within: profile.session.replyTimeoutMillis) {
            switch dump.consume(frame) {
            case let .recordCount(n): return n
            case .challenge: continue   // the opening sent again before our answer arrived
            case let .problem(p): throw SessionEnding(outcome: .transportFailed("unexpected reply to the challenge answer: \(p)"))
            case .entry, .disconnected:
                throw SessionEnding(outcome: .transportFailed("meter sent a record or disconnected before its record count"))
            }
        }
        throw SessionEnding(outcome: .timedOut(command: "10 40 (answer challenge)"))
    }

    /// The record answering fetch number `n`. Anything else ends the session: fetching again
    /// could run past the last record.
    private func awaitRecord(_ n: Int) throws(SessionEnding) -> CodeFreeEntry {
        guard let frame = try reader.next(within: profile.session.replyTimeoutMillis) else {
            throw SessionEnding(outcome: .timedOut(command: "10 60 (fetch record \(n))"))
        }
        switch dump.consume(frame) {
        case let .entry(entry): return entry
        case .disconnected:
            throw SessionEnding(outcome: .transportFailed("meter disconnected at fetch \(n) of \(dump.recordCount ?? 0)"))
        case let .problem(p):
            throw SessionEnding(outcome: .transportFailed("fetch \(n) answered with an undocumented message: \(p)"))
        case .challenge, .recordCount:
            throw SessionEnding(outcome: .transportFailed("meter restarted its conversation at fetch \(n)"))
        }
    }

    private func send(_ command: CodeFreeCommand) throws(SessionEnding) {
        do {
            try transport.write(command.bytes, timeoutMillis: profile.session.replyTimeoutMillis)
        } catch {
            throw SessionEnding(error)
        }
    }
}
