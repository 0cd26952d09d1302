public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// Runs the `session.script` of a declarative profile: sends only the profile's read-only
/// commands (the transport refuses anything else), waits for the expected record types, loops
/// over record indexes, and hands each reading to the sink as it arrives.
public final class DeclarativeSession: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let plan: DeclarativePlan
    private let logger: Logger
    private var reader: FrameReader<DeclarativeFrameDecoder>
    private var dump: DeclarativeDump
    private var identified = false

    /// The session talks through `transport`, wrapped so only the profile's read-only commands leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, plan: DeclarativePlan, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: { plan.mayTransmit($0) })
        self.profile = profile
        self.plan = plan
        self.logger = logger
        reader = FrameReader(plan.decoder, link: self.transport, chunkSize: 256)
        dump = DeclarativeDump(plan: plan)
    }

    /// Frames skipped so far (garbage, bad checksums), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the script to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        transport.discardInput()
        return .of { summary throws(SessionEnding) in
            try steps(plan.spec.script, index: 0, sink, &summary)
            try identify(sink, &summary)
        }
    }


    private func steps(_ list: [ScriptStep], index: Int, _ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        for step in list {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            switch step {
            case let .send(command, expect, timeout, retries):
                try exchange(plan.spec.commands[command], index: index, expect: Set(expect), timeout: timeout, retries: retries, sink, &summary)
            case let .loop(count, body):
                try identify(sink, &summary)
                let n = Int(dump.value(count)?.integer ?? 0)
                summary.recordsAnnounced += n
                for i in 0..<max(0, n) { try steps(body, index: i, sink, &summary) }
            }
        }
    }

    /// Tells the sink who the device is, once, before the first reading.
    private func identify(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        guard !identified else { return }
        if plan.spec.device.serial != nil && dump.serial == nil {
            throw SessionEnding(outcome: .transportFailed("device did not report its serial number"))
        }
        let serial = dump.serial ?? DecodedCapture.unknownSerial
        summary.deviceSerial = serial
        do {
            try sink.identified(serial: serial, model: dump.model ?? "unknown", deviceClock: dump.clock)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        identified = true
    }

    private func exchange(_ command: CommandSpec, index: Int, expect: Set<Int>, timeout: Int, retries: Int,
                          _ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        let bytes = plan.frame(for: command, index: index)
        for attempt in 0...retries {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 0 {
                logger.warning("no reply, re-sending", metadata: ["code": "\(LogCode.noReplyResending)", "command": "\(command.name)", "attempt": "\(attempt)"])
                reader.discard()
            }
            do {
                try transport.write(bytes, timeoutMillis: timeout)
            } catch {
                throw SessionEnding(error)
            }
            if expect.isEmpty { return }
            if let frame = try awaitFrame(expect, timeout: timeout) {
                let out = dump.consume(frame, profileID: profile.id)
                for p in out.problems { sink.rejected(p.reason, raw: p.raw) }
                if !out.readings.isEmpty { try identify(sink, &summary) }
                for r in out.readings {
                    summary.recordsRead += 1
                    if try sink.deliver(r) { summary.recordsNew += 1 }
                }
                return
            }
        }
        throw SessionEnding(outcome: .timedOut(command: command.name))
    }

    /// Reads until a frame of one of the `expect` record types arrives (nil on timeout).
    private func awaitFrame(_ expect: Set<Int>, timeout: Int) throws(SessionEnding) -> DeclarativeFrame? {
        let deadline = Monotonic.millis() + Int64(timeout)
        while let frame = try reader.next(until: deadline) {
            if expect.contains(frame.record) { return frame }
            logger.debug("unexpected frame dropped", metadata: ["record": "\(plan.spec.records[frame.record].name)"])
        }
        return nil
    }

}
