public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
public import PocGateCore

/// The HL7 v2 listener: the device (a health kiosk) sends ORU^R01 messages in MLLP blocks
/// whenever it has results; for each one the session stores the readings through the sink
/// FIRST and only then answers with an acknowledgement:
/// - AA once every usable result is durably stored; results that could not be used (unknown
///   code or unit, malformed time…) are logged with their bytes (PG-REC-…) and named in ERR
///   segments of severity W, never answered AE, which would make the device resend a message
///   that was stored;
/// - AE when storing failed (the device keeps the message and sends it again; the record keys
///   make a re-sent message store nothing twice);
/// - AR when the message is not one pocgate takes (not ORU^R01, no MSH-10, not HL7).
///
/// The only bytes the session ever writes are MLLP-wrapped acknowledgements: the transport is
/// wrapped in a `ReadOnlyLink` whose allow-list is `HL7Acknowledgement.mayTransmit`.
public final class HL7Session: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private let now: () -> LocalDateTime
    private let idleLimitMillis: Int?
    private var reader: FrameReader<MLLPFrameDecoder>
    private var identified = false

    /// - Parameters:
    ///   - now: the gateway's local time, written into each acknowledgement's MSH-7.
    ///   - idleLimitMillis: end the session after this long without a byte (`complete` when
    ///     messages arrived, `quiet` when none did); nil: the profile's `session.quiet_time_s`,
    ///     and without one the session listens until the daemon stops, the device goes away or
    ///     the store fails.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger,
                now: @escaping () -> LocalDateTime, idleLimitMillis: Int? = nil) {
        self.transport = ReadOnlyLink(transport, mayTransmit: HL7Acknowledgement.mayTransmit)
        reader = FrameReader(MLLPFrameDecoder(), link: self.transport, chunkSize: 4096)
        self.profile = profile
        self.logger = logger
        self.now = now
        self.idleLimitMillis = idleLimitMillis ?? profile.session.listenWindowMillis(default: nil)
    }

    /// Blocks skipped so far (line noise, abandoned or oversized blocks).
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Listens until the end. `recordsAnnounced` counts messages, `recordsRead` readings.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try listen(sink, &summary) }
    }


    private func listen(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        var lastByte = Monotonic.millis()
        while true {
            while let block = reader.buffered() {
                if block.isCommitAcknowledgement { continue }
                try handle(block.payload, sink, &summary)
            }
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            var slice = 250
            if let idle = idleLimitMillis {
                let left = Int(lastByte + Int64(idle) - Monotonic.millis())
                if left <= 0 {
                    if summary.recordsAnnounced == 0 { throw SessionEnding(outcome: .quiet) }
                    return
                }
                slice = min(slice, left)
            }
            let n = try reader.fill(timeoutMillis: slice)
            if n > 0 {
                lastByte = Monotonic.millis()
            }
        }
    }

    /// Stores one message's readings, then acknowledges it.
    private func handle(_ payload: [UInt8], _ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        summary.recordsAnnounced += 1
        let header = Self.headerLine(payload)
        switch HL7ORU.interpret(payload: payload, profileID: profile.id, analytes: profile.analytes) {
        case let .failure(rejection):
            sink.rejected("HL7 message rejected (AR): \(rejection)", raw: header)
            try acknowledge(payload, .reject, [HL7Acknowledgement.Reason(rejection)])
        case let .success((message, oru)):
            if !identified {
                identified = true
                summary.deviceSerial = oru.deviceSerial
                do {
                    try sink.identified(serial: oru.deviceSerial, model: oru.deviceModel, deviceClock: nil)
                } catch {
                    try acknowledge(payload, .error, [Self.storeReason])
                    throw SessionEnding(outcome: .storeFailed("\(error)"))
                }
            }
            for reading in oru.readings {
                do {
                    summary.recordsRead += 1
                    if try sink.received(reading) { summary.recordsNew += 1 }
                } catch let full as SinkFullError {
                    try acknowledge(payload, .error, [Self.storeReason])
                    throw SessionEnding(outcome: .storeFull(full.detail))
                } catch {
                    try acknowledge(payload, .error, [Self.storeReason])
                    throw SessionEnding(outcome: .storeFailed("\(error)"))
                }
            }
            for (problem, raw) in zip(oru.problems, oru.problemBytes) {
                sink.rejected("HL7 message \(message.controlID): \(problem)", raw: raw)
            }
            for problem in oru.identityProblems {
                logger.warning("device text changed to keep it", metadata: ["code": "\(LogCode.deviceTextChanged)",
                                                                           "control_id": "\(message.controlID)", "problem": "\(problem)"])
            }
            // Everything usable is stored: AA, with a warning per result that could not be used.
            // Never AE here: the device would send the stored message again for ever.
            try acknowledge(payload, .accept, oru.problems.map(HL7Acknowledgement.Reason.init))
            logger.debug("HL7 message stored", metadata: ["control_id": "\(message.controlID)", "readings": "\(oru.readings.count)",
                                                        "problems": "\(oru.problems.count)", "not_measured": "\(oru.notMeasured)",
                                                        "not_results": "\(oru.notResults)"])
        }
    }

    private static let storeReason = HL7Acknowledgement.Reason(code: 207, text: "the gateway could not store the results; send the message again later")

    private func acknowledge(_ payload: [UInt8], _ code: HL7AckCode, _ reasons: [HL7Acknowledgement.Reason]) throws(SessionEnding) {
        let ack = HL7Acknowledgement.build(for: payload, code: code, reasons: reasons, timestamp: now())
        do {
            try transport.write(MLLPBlock.wrap(ack), timeoutMillis: profile.session.replyTimeoutMillis)
        } catch {
            throw SessionEnding(error)
        }
    }


    /// The MSH segment of a payload (no patient data), for a rejection's log line.
    static func headerLine(_ payload: [UInt8]) -> [UInt8] {
        Array(payload.prefix { $0 != 0x0D && $0 != 0x0A }.prefix(200))
    }

}
