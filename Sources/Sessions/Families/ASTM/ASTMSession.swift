public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The gateway's side of an ASTM E1381 link: it waits for the device to open a transfer (ENQ),
/// acknowledges each frame, NAKs a damaged or out-of-sequence one so the device sends it again,
/// and hands every result to the sink as its record completes. EOT ends the session.
///
/// Only ACK and NAK can leave the port (`ASTMReply`). Timing from the profile's `session`:
/// `reply_timeout_ms` is how long a transfer may go without a byte before it is abandoned (E1381
/// receivers wait 30 s); the session listens `quiet_time_s` (default `wake_attempts ×
/// reply_timeout_ms`) for an ENQ before it ends `quiet`; `retries` is how many frames in a row
/// may be NAKed before the line is declared unusable.
public final class ASTMSession: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private var reader: FrameReader<ASTMFrameDecoder>
    private var receiver: ASTMReceiver

    /// The session talks through `transport`, which is wrapped so only ACK and NAK leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: ASTMReply.mayTransmit)
        reader = FrameReader(ASTMFrameDecoder(), link: self.transport, chunkSize: 512)
        self.profile = profile
        self.logger = logger
        receiver = ASTMReceiver(profileID: profile.id, analytes: profile.analytes, charset: profile.charset)
    }

    /// Frames skipped so far (garbage, bad checksums), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }
    /// Frames answered with NAK so far.
    public var naks: Int { receiver.naks }
    /// Retransmissions acknowledged without being taken twice.
    public var duplicates: Int { receiver.duplicates }

    /// Internal control flow: how the conversation stopped.

    /// Runs one transfer to its EOT. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        let settings = profile.session
        let listenMillis = Int64(settings.listenWindowMillis(default: settings.wakeAttempts * settings.replyTimeoutMillis)!)
        let listenDeadline = Monotonic.millis() + listenMillis
        var lastByte = Monotonic.millis()
        var identified = false
        var rejectedSeen = 0
        var nakRun = 0
        var ended = false
        while true {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            while let event = reader.buffered() {
                var outputs: [ASTMReceiver.Output] = []
                let reply = receiver.take(event) { outputs.append($0) }
                for output in outputs {
                    switch output {
                    case .header:
                        try identify(sink, &identified, &summary)
                    case let .reading(reading):
                        try identify(sink, &identified, &summary)
                        summary.recordsAnnounced += 1
                        summary.recordsRead += 1
                        try deliver(reading, sink, &summary)
                    case let .problem(problem, raw):
                        if problem.concernsResult {
                            summary.recordsAnnounced += 1
                            summary.recordsRead += 1
                        }
                        sink.rejected(problem.description, raw: raw)
                    case .transferEnded:
                        ended = true
                    }
                }
                if let reply {
                    nakRun = reply == .nak ? nakRun + 1 : 0
                    try send(reply)
                }
                if ended { return }
            }
            if reader.counters.rejectedFrames > rejectedSeen {
                rejectedSeen = reader.counters.rejectedFrames
                if let reply = receiver.rejectedFrame() {
                    logger.debug("damaged frame, asking for it again", metadata: ["issue": "\(reader.lastIssue.map { "\($0)" } ?? "")"])
                    nakRun += 1
                    try send(reply)
                }
            }
            if nakRun > settings.retries {
                throw SessionEnding(outcome: .transportFailed("\(nakRun) frames in a row were damaged or out of sequence; check the line settings and cable"))
            }
            let deadline = receiver.inTransfer || reader.pendingBytes > 0
                ? lastByte + Int64(settings.replyTimeoutMillis) : listenDeadline
            let left = deadline - Monotonic.millis()
            let n = left > 0 ? try reader.fill(timeoutMillis: Int(left)) : 0
            if n == 0 {
                if receiver.inTransfer {
                    let dropped = receiver.timedOut()
                    logger.debug("transfer abandoned: no frame in time", metadata: ["dropped_bytes": "\(dropped)"])
                    throw SessionEnding(outcome: .timedOut(command: "next frame"))
                }
                throw SessionEnding(outcome: .quiet)
            }
            lastByte = Monotonic.millis()
        }
    }

    private func identify(_ sink: any SessionSink, _ identified: inout Bool, _ summary: inout SessionSummary) throws(SessionEnding) {
        guard !identified else { return }
        identified = true
        let serial = receiver.transfer.serial ?? DecodedCapture.unknownSerial
        summary.deviceSerial = serial
        do {
            try sink.identified(serial: serial, model: receiver.transfer.model ?? ASTMTransfer.unknownModel,
                                deviceClock: receiver.transfer.clock)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
    }

    private func deliver(_ reading: Reading, _ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        if try sink.deliver(reading) { summary.recordsNew += 1 }
    }

    private func send(_ reply: ASTMControl) throws(SessionEnding) {
        do {
            try transport.write([reply.rawValue], timeoutMillis: min(profile.session.replyTimeoutMillis, 15_000))
        } catch {
            throw SessionEnding(error)
        }
    }


}
