public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only FreeStyle HID conversation (docs/protocols/freestyle-hid.md): the four
/// initialisation messages (`0x04`, `0x05`, `0x15`, `0x01`; the first re-sent up to
/// `wake_attempts` times), then the text queries for serial, clock and the stored results.
/// Keep-alive messages (`0x22`) are skipped wherever they come. The result list is released
/// only once its reply checksum, record count and list checksum matched, so an unplug
/// mid-reply stores nothing and the replug reads the whole list again (the store keeps each
/// reading once). Only `FreeStyleHIDCommand`'s reports can leave the port.
public final class FreeStyleHIDSession: LiveSession {
    private let reports: any DeviceLink
    private let profile: DeviceProfile
    private let model: FreeStyleHIDModel
    private let logger: Logger
    private var report = [UInt8](repeating: 0, count: FreeStyleHIDMessage.reportSize * 2)
    private var decode = DecodeCounters()
    private var pending = 0

    /// The session talks through `transport` (the hidraw link), wrapped so only the commands
    /// of `FreeStyleHIDCommand` leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, model: FreeStyleHIDModel, logger: Logger) {
        reports = ReadOnlyLink(transport, mayTransmit: FreeStyleHIDCommand.mayTransmit)
        self.profile = profile
        self.model = model
        self.logger = logger
        if case let .messages(maximumLength) = transport.delivery, maximumLength > report.count {
            report = [UInt8](repeating: 0, count: maximumLength)
        }
    }

    /// Messages read, and reports that held no valid message.
    public var counters: DecodeCounters { decode }

    /// Bytes of a text reply cut off when the session ended.
    public var pendingBytes: Int { pending }

    public func run(into sink: any SessionSink) -> SessionSummary {
        .of { summary throws(SessionEnding) in try converse(sink, &summary) }
    }

    private func converse(_ sink: any SessionSink, _ summary: inout SessionSummary) throws(SessionEnding) {
        reports.discardInput()
        var initSerial = ""
        for command in FreeStyleHIDCommand.initialisation {
            let reply = try binary(command, attempts: command == .query04 ? max(profile.session.wakeAttempts, 1) : 1, sink)
            if command == .querySerial {
                initSerial = String(decoding: reply.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        var serial = initSerial
        if case let .ok(message) = try text(model.serialCommand, sink) { serial = FreeStyleHIDModel.line(message) }
        if serial.isEmpty || serial.hasPrefix("00000000") { serial = DecodedCapture.unknownSerial }
        var clock: LocalDateTime?
        if case let .ok(date) = try text(.date, sink), case let .ok(time) = try text(.time, sink) {
            clock = FreeStyleHIDModel.clock(date: date, time: time)
        }
        summary.deviceSerial = serial
        do {
            try sink.identified(serial: serial, model: model.rawValue, deviceClock: clock)
        } catch {
            throw SessionEnding(outcome: .storeFailed("\(error)"))
        }
        let records: [FreeStyleRecordList.Record]
        switch try text(model.resultsCommand, sink) {
        case .failed:
            throw SessionEnding(outcome: .transportFailed("the meter refused \(model.resultsCommand.rawValue) (CMD Fail!)"))
        case let .problem(problem):
            sink.rejected(problem.description, raw: [])
            throw SessionEnding(outcome: .transportFailed("result list refused: \(problem)"))
        case let .ok(message):
            switch FreeStyleRecordList.parse(message) {
            case let .success(list): records = list
            case let .failure(problem):
                sink.rejected(problem.description, raw: [])
                throw SessionEnding(outcome: .transportFailed("result list refused: \(problem)"))
            }
        }
        var skipped = 0
        for record in records {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            switch model.reading(record, profileID: profile.id, serial: serial) {
            case let .reading(reading):
                summary.recordsAnnounced += 1
                summary.recordsRead += 1
                if try sink.deliver(reading) { summary.recordsNew += 1 }
            case let .notStored(problem):
                summary.recordsAnnounced += 1
                summary.recordsRead += 1
                sink.rejected(problem.description, raw: Array(record.line.utf8))
            case .notAResult:
                skipped += 1
            }
        }
        if skipped > 0 { logger.debug("records that are not results skipped", metadata: ["records": "\(skipped)"]) }
    }

    /// Sends a payload-less binary query and returns the payload of its reply (`0x04` → `0x34`,
    /// `0x05` → `0x06`, `0x15` → `0x35`, `0x01` → `0x71`); other messages meanwhile are skipped.
    private func binary(_ command: FreeStyleHIDCommand, attempts: Int, _ sink: any SessionSink) throws(SessionEnding) -> [UInt8] {
        let expected = FreeStyleHIDCommand.replyType[command]
        for attempt in 1...attempts {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 1 { logger.debug("no reply to the first initialisation message, re-sending", metadata: ["attempt": "\(attempt)"]) }
            try send(command)
            while let message = try nextMessage() {
                if message.type == FreeStyleHIDType.unknownCommand {
                    throw SessionEnding(outcome: .notThisProtocol("the meter does not know message \(command.rawValue)"))
                }
                if message.type == expected { return message.payload }
                decode.malformed += 1
            }
        }
        if command == FreeStyleHIDCommand.initialisation[0] { throw SessionEnding(outcome: .noAnswer) }
        throw SessionEnding(outcome: .timedOut(command: command.rawValue))
    }

    /// Sends a text command and assembles its reply from `0x60` messages.
    private func text(_ command: FreeStyleHIDCommand, _ sink: any SessionSink) throws(SessionEnding) -> FreeStyleTextReply.Outcome {
        try send(command)
        var reply = FreeStyleTextReply()
        while true {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            guard let message = try nextMessage() else {
                pending = reply.bytes.count
                throw SessionEnding(outcome: .timedOut(command: command.rawValue))
            }
            guard message.type == FreeStyleHIDType.text else {
                decode.malformed += 1
                continue
            }
            if let outcome = reply.append(message.payload) {
                pending = 0
                return outcome
            }
            pending = reply.bytes.count
        }
    }

    private func send(_ command: FreeStyleHIDCommand) throws(SessionEnding) {
        do {
            try reports.write(command.report, timeoutMillis: min(profile.session.replyTimeoutMillis, 15_000))
        } catch {
            throw SessionEnding(error)
        }
    }

    /// The next message other than a keep-alive, within the reply timeout; nil on timeout.
    private func nextMessage() throws(SessionEnding) -> FreeStyleHIDMessage? {
        let deadline = Monotonic.millis() + Int64(profile.session.replyTimeoutMillis)
        while true {
            let left = deadline - Monotonic.millis()
            if left <= 0 { return nil }
            let reports = self.reports
            let result: Result<Int, LinkError> = report.withUnsafeMutableBytes { raw in
                do throws(LinkError) { return .success(try reports.read(into: raw, timeoutMillis: Int(left))) } catch { return .failure(error) }
            }
            let n: Int
            switch result {
            case let .success(count): n = count
            case let .failure(error): throw SessionEnding(error)
            }
            if n == 0 { return nil }
            guard let message = FreeStyleHIDMessage.parse(report: report[0..<n]) else {
                decode.malformed += 1
                continue
            }
            decode.frames += 1
            if message.type == FreeStyleHIDType.keepAlive { continue }
            return message
        }
    }
}
