public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only Omron HEM-790IT-class conversation over HID reports: the reading-mode feature
/// report, the wake-up block until the monitor answers `OK` (up to `wake_attempts` times), then
/// for bank A and bank B the count (`GDC`) and every measurement newest first (`GME`, sent again
/// on `NO`), then `END`. Each measurement goes to the sink as it is read: an unplug keeps what
/// was stored, and the replug's read finds it already stored. Only `OmronCommand`'s reports can
/// leave the port, the feature report included.
public final class OmronSession: LiveSession {
    private let inner: any DeviceLink
    private let transport: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private let monitorSerial: String
    private var reader: FrameReader<OmronResponseDecoder>
    private var dump = OmronDump()

    /// How often a refused (`NO`) or damaged answer makes the session ask again.
    public static let maximumAsks = 5

    /// The session talks through `transport`, wrapped so only read commands leave it.
    /// `monitorSerial` names the monitor (its answers carry no serial): its USB serial.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger, monitorSerial: String) {
        inner = transport
        self.transport = ReadOnlyLink(transport, mayTransmit: OmronCommand.mayTransmit)
        reader = FrameReader(OmronResponseDecoder(), link: self.transport, chunkSize: OmronResponse.reportLength)
        self.profile = profile
        self.logger = logger
        self.monitorSerial = monitorSerial
    }

    /// Answers skipped so far (garbage, bad counts), for the session's log line.
    public var counters: DecodeCounters { reader.counters }

    /// Bytes read but not part of a whole answer.
    public var pendingBytes: Int { reader.pendingBytes }

    /// Runs the conversation to its end. Never throws: every ending is a `SessionSummary`.
    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        transport.discardInput()
        try setReadingMode()
        try wake(sink)
        summary.deviceSerial = monitorSerial
        do {
            try sink.identified(serial: monitorSerial, model: OmronDump.model, deviceClock: nil)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        for bank in OmronCommand.banks {
            guard let count = try readingCount(bank, sink) else {
                logger.debug("bank refused its count; read as absent", metadata: ["bank": "\(bank)"])
                continue
            }
            summary.recordsAnnounced += count
            for index in 0..<count {
                if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
                guard let record = try measurement(bank: bank, index: UInt8(index), sink) else { continue }
                summary.recordsRead += 1
                switch record.readings(profileID: profile.id, monitorSerial: monitorSerial, model: OmronDump.model) {
                case let .success(readings):
                    var new = false
                    for reading in readings where try sink.deliver(reading) { new = true }
                    if new { summary.recordsNew += 1 }
                case let .failure(problem):
                    sink.rejected("\(problem)", raw: record.payload)
                }
            }
        }
        try finish()
    }

    /// The feature report that selects the reading mode, through the same allow-list.
    private func setReadingMode() throws(SessionEnding) {
        guard let features = inner as? any HIDFeatureReports else {
            throw SessionEnding(outcome: .transportFailed("the Omron monitor needs a HID link with feature reports (transport: hid)"))
        }
        do {
            try ReadOnlyFeatureReports(features, mayWrite: OmronCommand.mayTransmit).setFeature(OmronCommand.readingMode)
        } catch {
            throw SessionEnding(error)
        }
    }

    /// The wake-up block until the monitor answers `OK`.
    private func wake(_ sink: any SessionSink) throws(SessionEnding) {
        for attempt in 1...max(profile.session.wakeAttempts, 1) {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 1 { logger.debug("no OK to the wake-up block, sending it again", metadata: ["attempt": "\(attempt)"]) }
            try send(.wake)
            let deadline = Monotonic.millis() + Int64(profile.session.replyTimeoutMillis)
            while let response = try reader.next(until: deadline) {
                if response.reply == .acknowledged { return }
            }
        }
        throw SessionEnding(outcome: .noAnswer)
    }

    /// The count of `bank`, or nil when the monitor keeps refusing it (a one-user model).
    private func readingCount(_ bank: UInt8, _ sink: any SessionSink) throws(SessionEnding) -> Int? {
        let command = OmronCommand.readingCount(bank: bank)
        for _ in 1...Self.maximumAsks {
            try send(command)
            switch try answer(to: command, sink) {
            case let .bank(_, count)?: return count
            default: continue
            }
        }
        return nil
    }

    /// Measurement `index` of `bank`; nil when it stays refused or damaged (kept as a problem).
    private func measurement(bank: UInt8, index: UInt8, _ sink: any SessionSink) throws(SessionEnding) -> OmronRecord? {
        let command = OmronCommand.reading(bank: bank, index: index)
        for _ in 1...Self.maximumAsks {
            try send(command)
            if case let .record(record)? = try answer(to: command, sink) { return record }
        }
        sink.rejected("Omron monitor refused \(command.name) \(Self.maximumAsks) times; read it again at the next connection", raw: [])
        return nil
    }

    /// The answer to `command`: a count or a measurement (its bank the one asked); nil for a
    /// refusal or a damaged answer (kept as a problem). Control answers and answers of another
    /// kind are passed over, so they never count as a bank or a measurement.
    private func answer(to command: OmronCommand, _ sink: any SessionSink) throws(SessionEnding) -> OmronDump.Event? {
        let deadline = Monotonic.millis() + Int64(profile.session.replyTimeoutMillis)
        while let response = try reader.next(until: deadline) {
            switch (command, response.reply) {
            case (.readingCount, .count):
                return dump.consume(response)
            case let (.reading(bank, _), .measurement):
                guard case var .record(record) = dump.consume(response) else { return nil }
                record.bank = bank
                return .record(record)
            case (_, .refused):
                return nil
            case (_, .badCheck), (_, .unrecognised):
                if case let .problem(problem) = dump.consume(response) { sink.rejected("\(problem)", raw: response.bytes.array) }
                return nil
            default:
                continue
            }
        }
        throw SessionEnding(outcome: .timedOut(command: command.name))
    }

    /// `END`; the monitor answers `OK` and `OFF` and switches off. Its answer is not needed.
    private func finish() throws(SessionEnding) {
        try send(.end)
        let deadline = Monotonic.millis() + Int64(profile.session.replyTimeoutMillis)
        while let response = try reader.next(until: deadline) {
            if response.reply == .off { return }
        }
    }

    private func send(_ command: OmronCommand) throws(SessionEnding) {
        for report in command.reports {
            do {
                try transport.write(report, timeoutMillis: profile.session.replyTimeoutMillis)
            } catch {
                throw SessionEnding(error)
            }
        }
    }
}
