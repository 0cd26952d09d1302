public import DeviceProfiles
public import Transports
public import Logging
public import FrameParsing
import PocGateCore

/// The read-only Contour Next conversation over USB HID. The meter opens its transfer when the
/// host asks: the gateway sends EOT (re-sent up to `wake_attempts` times) and waits for a reply
/// that ends with ENQ (the reply may carry an EOT and a header frame before it: they are
/// dropped, the meter sends the header again as the transfer's first frame). From that ENQ on,
/// the unchanged ASTM receiver session runs above `ContourReportLink`: it answers ACK or NAK,
/// each as one report, and ends at the meter's EOT.
///
/// Only `ContourReport.mayTransmit`'s three reports (EOT, ACK, NAK) can leave the port, under
/// the ASTM session's own ACK/NAK allow-list.
public final class ContourNextSession: LiveSession {
    private let reports: any DeviceLink
    private let profile: DeviceProfile
    private let logger: Logger
    private var link: ContourReportLink?
    private var astm: ASTMSession?
    private var startBytes = 0

    /// The session talks through `transport` (the hidraw link), wrapped so only the three
    /// Contour reports leave it.
    public init(transport: any DeviceLink, profile: DeviceProfile, logger: Logger) {
        reports = ReadOnlyLink(transport, mayTransmit: ContourReport.mayTransmit)
        self.profile = profile
        self.logger = logger
    }

    /// Frames the ASTM decoder skipped, plus reports whose length byte was impossible.
    public var counters: DecodeCounters {
        var c = astm?.counters ?? DecodeCounters()
        c.malformed += link?.malformedReports ?? 0
        return c
    }

    /// Bytes read but not part of a whole frame.
    public var pendingBytes: Int { astm?.pendingBytes ?? startBytes }

    /// Runs the start exchange and the ASTM transfer. Never throws: every ending is a summary.
    public func run(into sink: any SessionSink) -> SessionSummary {
        var enq: [UInt8] = []
        let started = SessionSummary.of { _ throws(SessionEnding) in enq = try start(sink) }
        guard started.outcome == .complete else { return started }
        let link = ContourReportLink(reports: reports, preloaded: enq)
        let astm = ASTMSession(transport: link, profile: profile, logger: logger)
        self.link = link
        self.astm = astm
        return astm.run(into: sink)
    }

    /// Sends EOT until a reply message ends with ENQ; returns that ENQ for the ASTM session.
    private func start(_ sink: any SessionSink) throws(SessionEnding) -> [UInt8] {
        reports.discardInput()
        var report = [UInt8](repeating: 0, count: ContourReport.size * 2)
        var answered = false
        for attempt in 1...max(profile.session.wakeAttempts, 1) {
            if sink.shouldStop { throw SessionEnding(outcome: .stopped) }
            if attempt > 1 { logger.debug("no ENQ after EOT, asking again", metadata: ["attempt": "\(attempt)"]) }
            do {
                try reports.write(ContourReport.outputReport(.eot), timeoutMillis: min(profile.session.replyTimeoutMillis, 15_000))
            } catch {
                throw SessionEnding(error)
            }
            var message: [UInt8] = []
            while true {
                let reports = self.reports, wait = profile.session.replyTimeoutMillis
                let result: Result<Int, LinkError> = report.withUnsafeMutableBytes { raw in
                    do throws(LinkError) { return .success(try reports.read(into: raw, timeoutMillis: wait)) } catch { return .failure(error) }
                }
                let n: Int
                switch result {
                case let .success(count): n = count
                case let .failure(error): throw SessionEnding(error)
                }
                if n == 0 { break }
                answered = true
                let payload = ContourReport.payload(of: report[0..<n])
                message += payload.bytes
                startBytes = message.count
                // A report short of 60 bytes ends the message (glucometerutils, Tidepool).
                if payload.bytes.count == ContourReport.maximumPayload && message.count < 4 * 1024 { continue }
                if message.last == ASTMControl.enq.rawValue {
                    if message.count > 1 {
                        logger.debug("start reply carried bytes before ENQ; the meter sends them again in the transfer",
                                     metadata: ["dropped_bytes": "\(message.count - 1)"])
                    }
                    startBytes = 0
                    return [ASTMControl.enq.rawValue]
                }
                message.removeAll(keepingCapacity: true)
                break   // NAK or anything else: ask again
            }
        }
        if answered { throw SessionEnding(outcome: .timedOut(command: "EOT (start of transfer)")) }
        throw SessionEnding(outcome: .noAnswer)
    }
}
