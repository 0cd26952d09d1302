import Daemon
import Tools
import Emulators
import DeviceProfiles
import FrameParsing
import Foundation
import Glibc
import Logging
import PocGateCore
import Sessions
import Transports
import Testing
import TestSupport

/// The live ASTM receiver session over a pseudo-terminal, against a scripted device that sends
/// ENQ, frames (one with a bad checksum) and EOT, waiting for the gateway's answer to each.
@Suite(.serialized) struct ASTMSessionTests {
    static let profile: DeviceProfile = {
        var p = DeviceProfile(
            id: "generic-astm-poct", version: 1, name: "test", kind: "glucose-meter", protocol: .astmE1394,
            match: MatchRules(usb: [USBMatch(vendorID: 0x0403, productID: 0x6001, product: "POCT-ASTM")]), line: LineSettings(baud: 9600),
            session: SessionSettings(replyTimeoutMillis: 400, retries: 6, wakeAttempts: 2, powerOffWhenDone: false, pollIntervalSeconds: 1),
            sourceFile: "test", contentHash: "0")
        // The shipped analyte table, as a profile naming it gets it from the catalog.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        p.analytes = AnalyteTables.load(directories: [repo + "/DeviceProfiles/analytes"]).tables.byID["diabetes-hypertension"] ?? .empty
        return p
    }()

    static let records = [
        "H|\\^&|||LipidPro^1.0^LP-0001|||||||P|1|20240615090000",
        "P|1|PAT-001",
        "O|1|S1||^^^CHOL\\^^^TG\\^^^UA|R||20240615081500",
        "R|1|^^^Cholesterol|212|mg/dL|<200|H||F||||20240615083000",
        "R|2|^^^Triglycerides|150|mg/dL|<150|N||F||||20240615083000",
        "R|3|^^^Uric Acid|6.1|mg/dL|2.4-6.0|H||F||||20240615083000",
        "R|4|^^^Fructosamine|261|umol/L||||F||||20240615083000",
        "L|1|N",
    ]

    final class Sink: SessionSink {
        var serial: String?
        var model: String?
        var clock: LocalDateTime?
        var identifiedCount = 0
        var readings: [Reading] = []
        var rejected: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
            identifiedCount += 1
            self.serial = serial
            self.model = model
            clock = deviceClock
        }
        func received(_ reading: Reading) throws -> Bool {
            readings.append(reading)
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) { rejected.append(why) }
    }

    /// Plays the device on the master side: each step writes bytes and (optionally) waits for
    /// one reply byte, which is recorded.
    final class ScriptedDevice: @unchecked Sendable {
        let pty: PTYPair
        private(set) var replies: [UInt8] = []
        private(set) var extra: [UInt8] = []
        private let steps: [(bytes: [UInt8], awaitReply: Bool)]
        private var thread: Thread?
        private let done = DispatchSemaphore(value: 0)

        init(steps: [(bytes: [UInt8], awaitReply: Bool)]) throws {
            pty = try PTYPair()
            self.steps = steps
        }

        func start() {
            let steps = steps
            let t = Thread { [self] in
                var got: [UInt8] = []
                for step in steps {
                    pty.write(step.bytes)
                    if step.awaitReply {
                        guard let reply = readOne(millis: 2000) else { break }
                        got.append(reply)
                    }
                }
                let after = pty.read(waitingMillis: 200)
                finish(got, after)
            }
            thread = t
            t.start()
        }

        private func finish(_ got: [UInt8], _ after: [UInt8]) {
            replies = got
            extra = after
            done.signal()
        }

        func wait() { done.wait() }

        private func readOne(millis: Int32) -> UInt8? {
            var p = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, millis) > 0 else { return nil }
            var b = [UInt8](repeating: 0, count: 1)
            let n = b.withUnsafeMutableBytes { Glibc.read(pty.master, $0.baseAddress, 1) }
            return n == 1 ? b[0] : nil
        }
    }

    @Test func nakedFrameIsResentAndEveryResultDecoded() throws {
        let frames = ASTMConversation.frames(Self.records, maxText: 40)
        var steps: [(bytes: [UInt8], awaitReply: Bool)] = [([0x05], true)]
        for (i, f) in frames.enumerated() {
            if i == 3 { steps.append((ASTMConversation.corrupted(f), true)) }   // the gateway must NAK this one
            steps.append((f, true))
            if i == 5 { steps.append((f, true)) }                              // a resend after a lost ACK: ACKed, not taken twice
        }
        steps.append(([0x04], false))
        let device = try ScriptedDevice(steps: steps)
        let port = try SerialPort(path: device.pty.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        device.start()
        let sink = Sink()
        let session = ASTMSession(transport: port, profile: Self.profile, logger: Logger(label: "test"))
        let summary = session.run(into: sink)
        device.wait()

        #expect(summary.outcome == .complete)
        var expected = [UInt8](repeating: 0x06, count: 1 + frames.count + 2)
        expected[4] = 0x15
        #expect(device.replies == expected)
        #expect(device.extra.isEmpty)
        #expect(session.naks == 1 && session.duplicates == 1 && session.counters.badChecksums == 1)
        #expect(sink.identifiedCount == 1 && sink.serial == "LP-0001" && sink.model == "LipidPro")
        #expect(sink.clock == LocalDateTime(year: 2024, month: 6, day: 15, hour: 9))
        #expect(sink.readings.map(\.kind) == [.cholesterol, .triglycerides, .uricAcid])
        #expect(sink.readings.map(\.value) == [ExactDecimal(212), ExactDecimal(150), ExactDecimal(mantissa: 61, scale: 1)])
        #expect(sink.readings.map(\.flags) == [[.abnormalHigh], [], [.abnormalHigh]])
        #expect(sink.readings.allSatisfy { $0.patientID == "PAT-001" && $0.deviceTime == LocalDateTime(year: 2024, month: 6, day: 15, hour: 8, minute: 30) })
        #expect(sink.rejected.count == 1 && sink.rejected[0].contains("Fructosamine"))
        #expect(summary.recordsRead == 4 && summary.recordsNew == 3 && summary.deviceSerial == "LP-0001")
    }

    @Test func silentLineEndsQuietAndNothingIsSent() throws {
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        let summary = ASTMSession(transport: port, profile: Self.profile, logger: Logger(label: "test")).run(into: Sink())
        #expect(summary.outcome == .quiet)
        #expect(pty.read(waitingMillis: 50).isEmpty)
    }

    /// `quiet_time_s` replaces `wake_attempts × reply_timeout_ms` as the wait for ENQ: here
    /// 1 s instead of 2 × 30 s (the bound below is a functional check, not a benchmark).
    @Test func theProfilesQuietTimeIsTheWaitForENQ() throws {
        var profile = Self.profile
        profile.session.replyTimeoutMillis = 30_000
        profile.session.quietTimeSeconds = 1
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: profile.line.tty)
        defer { port.close() }
        let started = ContinuousClock.now
        let summary = ASTMSession(transport: port, profile: profile, logger: Logger(label: "test")).run(into: Sink())
        #expect(summary.outcome == .quiet)
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func deviceFallingSilentMidTransferTimesOutKeepingWhatWasRead() throws {
        let frames = ASTMConversation.frames(Array(Self.records.prefix(4)), maxText: 240)
        let device = try ScriptedDevice(steps: [([0x05], true)] + frames.map { ($0, true) })
        let port = try SerialPort(path: device.pty.slavePath, line: Self.profile.line.tty)
        defer { port.close() }
        device.start()
        let sink = Sink()
        let summary = ASTMSession(transport: port, profile: Self.profile, logger: Logger(label: "test")).run(into: sink)
        device.wait()
        #expect(summary.outcome == .timedOut(command: "next frame"))
        #expect(sink.readings.map(\.value) == [ExactDecimal(212)])
        #expect(device.replies == [UInt8](repeating: 0x06, count: 5))
    }
}
