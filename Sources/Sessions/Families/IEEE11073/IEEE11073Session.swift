public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The manager's side of an IEEE 11073-20601 conversation over a byte transport.
///
/// The agent leads: it asks to associate, (for an unknown configuration) reports its
/// configuration, sends its measurements in confirmed event reports, and releases. The
/// session answers each APDU and never starts anything: the transport is wrapped in the
/// codec's allow-list (AARE, RLRE, confirmed-event-report results only). Readings of a report
/// are handed to the sink, which makes them durable, before the report is answered, because
/// the answer lets the agent forget them.
public final class IEEE11073Session: LiveSession {
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private var reader: FrameReader<IEEE11073APDUDecoder>
    private var manager: IEEE11073Manager

    /// The session talks through `transport`, wrapped so only the manager's answers leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        self.transport = ReadOnlyLink(transport, mayTransmit: IEEE11073Response.mayTransmit)
        reader = FrameReader(IEEE11073APDUDecoder(), link: self.transport, chunkSize: 1024)
        self.profile = profile
        self.logger = logger
        self.manager = IEEE11073Manager(profileID: profile.id)
    }

    /// Bytes and APDUs skipped so far, for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { reader.pendingBytes }

    /// How long the session waits for the agent's association request: the agent starts the
    /// conversation when its user presses "send", so the wait is the profile's quiet time, or
    /// without one spans every wake attempt.
    var associationWaitMillis: Int {
        profile.session.listenWindowMillis(default: profile.session.replyTimeoutMillis * max(1, profile.session.wakeAttempts))!
    }

    /// Runs until the agent releases or aborts, goes silent, or the device goes away. Never
    /// throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }


    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        var identified = false
        var associatedOnce = false
        while true {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            let wait = associatedOnce ? profile.session.replyTimeoutMillis * max(1, profile.session.retries + 1) : associationWaitMillis
            guard let apdu = try nextAPDU(timeoutMillis: wait) else {
                throw SessionEnding(outcome: associatedOnce ? .timedOut(command: "agent silent after association") : .quiet)
            }
            let step = manager.consume(apdu)
            if step.associated {
                associatedOnce = true
                summary.deviceSerial = manager.serial
                if !identified {
                    // An agent without a system id is still identified before its readings,
                    // under the name replay uses for a device that gave none.
                    identified = true
                    do {
                        try sink.identified(serial: manager.serial ?? DecodedCapture.unknownSerial,
                                            model: manager.model ?? "unknown", deviceClock: nil)
                    } catch {
                        throw SessionEnding(outcome: .storeFailed("\(error)"))
                    }
                }
            }
            summary.recordsAnnounced += step.observations
            for reading in step.readings {
                summary.recordsRead += 1
                // A sink failure ends the session before the report is answered: the agent
                // keeps the report and sends it again next time.
                if try sink.deliver(reading) { summary.recordsNew += 1 }
            }
            for problem in step.problems { sink.rejected(problem.why, raw: problem.raw) }
            for response in step.responses { try send(response) }
            if step.released { return }
            if let reason = step.aborted {
                throw SessionEnding(outcome: .transportFailed("agent aborted the association (reason \(reason))"))
            }
        }
    }

    private func send(_ bytes: [UInt8]) throws(SessionEnding) {
        do {
            try transport.write(bytes, timeoutMillis: profile.session.replyTimeoutMillis)
        } catch {
            throw SessionEnding(error)
        }
    }

    /// The next APDU, or nil when none completes within `timeoutMillis`.
    private func nextAPDU(timeoutMillis: Int) throws(SessionEnding) -> IEEE11073APDU? {
        try reader.next(within: timeoutMillis)
    }

}
