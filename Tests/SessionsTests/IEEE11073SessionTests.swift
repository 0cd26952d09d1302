import Daemon
import Tools
import Emulators
import DeviceProfiles
import Foundation
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The manager session against a scripted agent on a pseudo-terminal.
@Suite(.serialized) struct IEEE11073SessionTests {
    static let profile = DeviceProfile(
        id: "continua-glucose-meter", version: 1, name: "test", kind: "glucose-meter", protocol: .ieee11073,
        match: MatchRules(usb: [USBMatch(vendorID: 0x0403, productID: 0x6015, product: "Continua Glucose Meter")]),
        line: LineSettings(baud: 115200),
        session: SessionSettings(replyTimeoutMillis: 1000, retries: 2, wakeAttempts: 3, powerOffWhenDone: false, pollIntervalSeconds: 30),
        sourceFile: "test", contentHash: "0")

    typealias A = IEEE11073AgentAPDUs
    static let systemID: [UInt8] = [0x00, 0x1C, 0x05, 0xFF, 0xFE, 0x00, 0x42, 0x17]
    static let morning = LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30, second: 5)
    static let config = IEEE11073Configuration(id: 0x4000, objects: [
        .init(handle: 1, typeCode: 29112, unitCode: 4722, valueMap: [(attribute: 2636, length: 2), (attribute: 2448, length: 8)]),
    ])

    /// The glucose agent's conversation: every APDU followed by a wait for the manager's answer.
    static func glucoseScript(release: Bool = true) -> [ScriptedAgent.Step] {
        var steps: [ScriptedAgent.Step] = [
            .send(A.associationRequest(configID: 0x4000, systemID: systemID)), .awaitAnswer(millis: 5000),
            .send(A.confirmedEventReport(invokeID: 1, eventType: 0x0D1C, info: A.configurationInfo(reportID: 0x4000, config))),
            .awaitAnswer(millis: 5000),
            // Line noise between APDUs is skipped.
            .send([0x00, 0x13, 0x37]),
            .send(A.confirmedEventReport(invokeID: 2, eventType: 0x0D1D, info: A.fixedScanInfo(reportNumber: 0, [
                (1, [0xF0, 0x38] + A.time(morning)),
            ]))),
            .awaitAnswer(millis: 5000),
            .send(A.confirmedEventReport(invokeID: 3, eventType: 0x0D1E, info: A.variableScanInfo(reportNumber: 1, [
                (1, [(2646, A.float(mantissa: 725, exponent: -2)), (2448, A.time(morning, hundredths: 50))]),
            ]))),
            .awaitAnswer(millis: 5000),
        ]
        if release { steps += [.send(A.releaseRequest()), .awaitAnswer(millis: 5000)] }
        return steps
    }

    /// Collects what the session delivers; notes how many answers the agent had when each
    /// reading was stored; can refuse readings as a full store does.
    final class Sink: SessionSink, @unchecked Sendable {
        var serial: String?
        var model: String?
        var readings: [Reading] = []
        var answersAtStore: [Int] = []
        var rejected: [String] = []
        var full = false
        let agent: ScriptedAgent
        init(agent: ScriptedAgent) { self.agent = agent }
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
            self.serial = serial
            self.model = model
        }
        func received(_ reading: Reading) throws -> Bool {
            if full { throw SinkFullError(detail: "store at its cap") }
            answersAtStore.append(agent.answerCount)
            readings.append(reading)
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) { rejected.append(why) }
    }

    /// Every byte the manager wrote is a sequence of whole APDUs, each one the allow-list
    /// accepts and each an AARE, an RLRE, or a confirmed-event-report result.
    static func onlyAnswers(_ agent: ScriptedAgent) -> Bool {
        let (apdus, bytes, _) = agent.received
        guard apdus.flatMap(\.bytes) == bytes else { return false }
        return apdus.allSatisfy { apdu in
            guard IEEE11073Response.mayTransmit(apdu.bytes) else { return false }
            switch apdu.type {
            case .aare, .rlre: return true
            case .prst: return apdu.bytes[8] == 0x02 && apdu.bytes[9] == 0x01
            default: return false
            }
        }
    }

    /// Opens the port (which flushes its input), then starts the agent's script, then runs
    /// the session: an agent that spoke before the port was open would be flushed away.
    func run(_ agent: ScriptedAgent, _ sink: Sink, _ script: [ScriptedAgent.Step]) throws -> SessionSummary {
        let port = try SerialPort(path: agent.pty.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        agent.start(script)
        return IEEE11073Session(transport: port, profile: Self.profile, logger: Logger(label: "test")).run(into: sink)
    }

    @Test func associatesConfiguresStoresThenAnswersAndReleases() throws {
        let agent = try ScriptedAgent()
        let sink = Sink(agent: agent)
        let summary = try run(agent, sink, Self.glucoseScript())
        #expect(agent.wait())
        agent.drain()
        #expect(summary.outcome == .complete)
        #expect(summary.deviceSerial == "001C05FFFE004217")
        #expect(summary.recordsRead == 2 && summary.recordsNew == 2 && summary.recordsAnnounced == 2)
        #expect(sink.serial == "001C05FFFE004217")
        #expect(sink.readings.map(\.value) == [ExactDecimal(parsing: "5.6")!, ExactDecimal(parsing: "7.25")!])
        #expect(sink.readings.allSatisfy { $0.unit == "mmol/L" && $0.kind == .glucose })
        #expect(sink.rejected.isEmpty)
        // Each reading was stored while the agent still waited for that report's answer.
        #expect(sink.answersAtStore == [2, 3])
        let (apdus, _, missed) = agent.received
        #expect(missed == 0)
        #expect(apdus.map(\.bytes) == [
            IEEE11073Response.associationResponse(.acceptedUnknownConfig),
            IEEE11073Response.configurationResult(invokeID: 1, reportID: 0x4000, result: .acceptedConfig),
            IEEE11073Response.eventReportResult(invokeID: 2, objectHandle: 0, eventType: 0x0D1D),
            IEEE11073Response.eventReportResult(invokeID: 3, objectHandle: 0, eventType: 0x0D1E),
            IEEE11073Response.releaseResponse(),
        ])
        #expect(Self.onlyAnswers(agent))
    }

    @Test func aFullStoreLeavesTheReportUnanswered() throws {
        let agent = try ScriptedAgent()
        let sink = Sink(agent: agent)
        sink.full = true
        // The last step waits briefly: no answer is expected.
        let summary = try run(agent, sink, Array(Self.glucoseScript(release: false).prefix(6)) + [.awaitAnswer(millis: 500)])
        agent.wait()
        agent.drain()
        #expect(summary.outcome == .storeFull("store at its cap"))
        #expect(sink.readings.isEmpty)
        // AARE and the configuration answer only: the report was not acknowledged, so the
        // agent keeps the measurement for the next association.
        #expect(agent.received.apdus.count == 2)
        #expect(Self.onlyAnswers(agent))
    }

    @Test func anAbortEndsTheSessionKeepingWhatWasStored() throws {
        let agent = try ScriptedAgent()
        let sink = Sink(agent: agent)
        let summary = try run(agent, sink, Array(Self.glucoseScript(release: false).prefix(7)) + [.send(A.abort(reason: 2))])
        agent.wait()
        agent.drain()
        #expect(summary.outcome == .transportFailed("agent aborted the association (reason 2)"))
        #expect(sink.readings.count == 1)
        #expect(Self.onlyAnswers(agent))
    }

    @Test func aSilentPortIsQuietAndNothingIsSent() throws {
        let agent = try ScriptedAgent()
        let sink = Sink(agent: agent)
        let summary = try run(agent, sink, [])
        agent.drain()
        #expect(summary.outcome == .quiet)
        #expect(agent.received.bytes.isEmpty)
    }

    @Test func anAgentThatGoesSilentMidSessionTimesOut() throws {
        let agent = try ScriptedAgent()
        let sink = Sink(agent: agent)
        let summary = try run(agent, sink, Array(Self.glucoseScript(release: false).prefix(2)))
        agent.drain()
        #expect(summary.outcome == .timedOut(command: "agent silent after association"))
        #expect(agent.received.apdus.map(\.type) == [.aare])
    }

    @Test func unknownRequestsFromTheAgentAreNeverAnsweredWithAnythingButAnswers() throws {
        let agent = try ScriptedAgent()
        let sink = Sink(agent: agent)
        // After association, the agent sends a GET-like DATA message and an unknown event:
        // neither is answered (no error APDUs, no requests), then it releases.
        let get = IEEE11073APDU(type: .prst, body: [0x00, 0x06, 0x00, 0x09, 0x01, 0x03, 0x00, 0x00])!.bytes
        let summary = try run(agent, sink, [
            .send(A.associationRequest(configID: 0x06A4, systemID: Self.systemID)), .awaitAnswer(millis: 5000),
            .send(get),
            .send(A.confirmedEventReport(invokeID: 4, eventType: 3361, info: [0, 0])),
            .send(A.releaseRequest()), .awaitAnswer(millis: 5000),
        ])
        agent.wait()
        agent.drain()
        #expect(summary.outcome == .complete)
        #expect(agent.received.apdus.map(\.type) == [.aare, .rlre])
        #expect(sink.rejected.count == 2)
        #expect(Self.onlyAnswers(agent))
    }
}
