import DeviceProfiles
import FrameParsing
import Foundation
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The live GlucoMen areo session over a pseudo-terminal against the Python meter written from
/// the public protocol (Tests/Harness/glucomen_areo_meter.py, checksums by PyPI `crcmod`),
/// which records every byte the host sent. Skipped where `crcmod` is not installed.
@Suite(.serialized) struct GlucoMenAreoSessionTests {
    static let profile = DeviceProfile(
        id: "menarini-glucomen-areo", version: 1, name: "t", kind: "glucose-meter", protocol: .glucomenAreo,
        match: MatchRules(usb: [USBMatch(vendorID: 0x10c4, productID: 0xea60)], probeOrder: 10),
        line: LineSettings(baud: 9600, parity: .odd),
        session: SessionSettings(replyTimeoutMillis: 1_500, retries: 2, wakeAttempts: 2), sourceFile: "t", contentHash: "0")

    static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Harness/glucomen_areo_meter.py").path

    static var hasCrcmod: Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import crcmod.predefined"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    final class Sink: SessionSink {
        var serial: String?
        var clock: LocalDateTime?
        var readings: [Reading] = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
            self.serial = serial
            clock = deviceClock
        }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
    }

    /// What the meter reported after the session: the host's bytes (hex) and its verdicts.
    struct MeterReport: Decodable {
        var received: String
        var violations: [[String: String]]
        var rejected: [[String: String]]
        var valuesServed: [Int]
    }

    /// Runs one session against the emulator started with `arguments`.
    static func session(_ arguments: [String]) throws -> (SessionSummary, Sink, MeterReport) {
        try withMeter(arguments) { port in
            let sink = Sink()
            let summary = GlucoMenAreoSession(transport: port, profile: profile, logger: Logger(label: "t")).run(into: sink)
            return (summary, sink)
        }.flatten
    }

    /// Starts the emulator, opens its pseudo-terminal with the profile's line settings, runs
    /// `body` on it, then stops the emulator and reads what it recorded.
    static func withMeter<T>(_ arguments: [String], _ body: (SerialPort) throws -> T) throws -> Pair<T> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [harness, "--pty"] + arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let reader = output.fileHandleForReading
        var pathBytes: [UInt8] = []
        while let byte = try reader.read(upToCount: 1)?.first, byte != 0x0A { pathBytes.append(byte) }
        let port = try SerialPort(path: String(decoding: pathBytes, as: UTF8.self), line: profile.line.tty)
        let value = try body(port)
        port.close()
        try input.fileHandleForWriting.close()
        let rest = reader.readDataToEndOfFile()
        process.waitUntilExit()
        return Pair(value: value, report: try JSONDecoder().decode(MeterReport.self, from: rest))
    }

    struct Pair<T> {
        var value: T
        var report: MeterReport
    }

    /// Risk: the identification probe not recognising an areo (the port then never read when a
    /// second live profile shares the id), or sending more than 0xA2.
    @Test(.enabled(if: hasCrcmod)) func theProbeIdentifiesTheMeterSendingOnlyTheInformationRequest() throws {
        let probe = try #require(IdentificationProbe.of(Self.profile))
        let run = try Self.withMeter(["--records", "3"]) { port in probe.run(on: port) }
        #expect(run.value == .answered(detail: "serial GM7654321"))
        #expect(run.report.received == "a2" && run.report.violations.isEmpty && run.report.valuesServed.isEmpty)
    }

    /// Risk: a reading lost or its meal mark dropped; the serial not taken from the
    /// information reply; a write (0xC2 0xA1 set date/time) or any byte but 0xA2 and 0x80 sent.
    @Test(.enabled(if: hasCrcmod)) func readsEveryReadingSendingOnlyTheTwoReadCommands() throws {
        let (summary, sink, meter) = try Self.session(["--records", "5"])
        #expect(summary.outcome == .complete && summary.recordsNew == 5 && summary.deviceSerial == "GM7654321")
        #expect(sink.serial == "GM7654321" && sink.clock == nil && sink.problems.isEmpty)
        #expect(sink.readings.map(\.flags) == [[], [.beforeMeal], [.afterMeal], [], []])
        #expect(sink.readings.allSatisfy { $0.unit == "mg/dL" && $0.code == "41653-7" })
        #expect(meter.received == "a280", "host sent \(meter.received)")
        #expect(meter.violations.isEmpty && meter.rejected.isEmpty && meter.valuesServed == [0, 1, 2, 3, 4])
    }

    @Test(.enabled(if: hasCrcmod)) func anEmptyMemoryEndsCompleteWithNothing() throws {
        let (summary, sink, meter) = try Self.session(["--records", "0"])
        #expect(summary.outcome == .complete && summary.recordsRead == 0 && sink.readings.isEmpty && sink.problems.isEmpty)
        #expect(meter.received == "a280")
    }

    /// Risk: the readings command (or anything else) sent to a device that is not an areo
    /// (another meter behind the same CP210x id): a silent port gets 0xA2 only, never 0x80.
    @Test func aPortThatNeverAnswersGetsOnlyTheInformationRequest() throws {
        final class Silent: DeviceLink {
            var written: [[UInt8]] = []
            func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { written.append(bytes) }
            func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int { 0 }
            func discardInput() {}
            func close() {}
        }
        let link = Silent()
        let summary = GlucoMenAreoSession(transport: link, profile: Self.profile, logger: Logger(label: "t")).run(into: Sink())
        #expect(summary.outcome == .noAnswer)
        #expect(link.written == [[0xA2], [0xA2]])
    }

    /// Risk: the identification probe sending more than the read-only information request, or
    /// taking a reply with a bad checksum as an areo.
    @Test func theProbeSendsOnlyTheInformationRequest() throws {
        let probe = try #require(IdentificationProbe.of(Self.profile))
        #expect(probe.request == [0xA2] && probe.family == .glucomenAreo)
    }
}

extension GlucoMenAreoSessionTests.Pair where T == (SessionSummary, GlucoMenAreoSessionTests.Sink) {
    var flatten: (SessionSummary, GlucoMenAreoSessionTests.Sink, GlucoMenAreoSessionTests.MeterReport) { (value.0, value.1, report) }
}

/// A device behind the CP210x id that streams bytes which never form a checked block.
@Suite struct GlucoMenAreoChattyDeviceTests {
    final class Chatty: DeviceLink {
        var written: [[UInt8]] = []
        var served = 0
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { written.append(bytes) }
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
            for i in 0..<buffer.count { buffer[i] = UInt8(ascii: "x") }
            served += buffer.count
            return buffer.count
        }
        func discardInput() {}
        func close() {}
    }

    /// Risk: a device that never stops sending holding the port (and the session) forever, or
    /// being sent the readings command.
    @Test func aDeviceThatStreamsNoBlockEndsTheSessionAfterABoundedReply() {
        let link = Chatty()
        let summary = GlucoMenAreoSession(transport: link, profile: GlucoMenAreoSessionTests.profile,
                                          logger: Logger(label: "t")).run(into: GlucoMenAreoSessionTests.Sink())
        guard case .notThisProtocol = summary.outcome else {
            Issue.record("outcome \(summary.outcome)")
            return
        }
        #expect(link.written == [[0xA2]])
        #expect(link.served <= 3 * GlucoMenAreoBlockDecoder.maximumBlockLength)
    }
}
