import Daemon
import Tools
import Emulators
import DeviceProfiles
import Foundation
import FrameParsing
import Glibc
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The ECG cart pushes its shipped captures down a pseudo-terminal: the listening session
/// stores exactly what replay decodes (every sample of every lead) and sends the cart nothing.
@Suite struct ECGListenSessionTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func profile(_ proto: ProtocolFamily) -> DeviceProfile {
        DeviceProfile(id: "ecg-test", version: 1, name: "test", kind: "ecg-cart", protocol: proto,
                      match: MatchRules(usb: [USBMatch(vendorID: 0x0403, productID: 0x6015, product: "12-lead ECG cart")]),
                      line: LineSettings(baud: 115200), session: SessionSettings(replyTimeoutMillis: 1000),
                      sourceFile: "test", contentHash: "0")
    }

    final class Sink: SessionSink {
        var readings: [Reading] = []
        var rejections: [String] = []
        var serial: String?
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { rejections.append(why) }
    }

    /// Writes all of `bytes` to the non-blocking master, waiting while the pty buffer is full.
    static func push(_ bytes: [UInt8], to master: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(master, $0.baseAddress, min($0.count, 4096)) }
            if n > 0 { offset += n } else { usleep(2_000) }
        }
    }

    func listen(_ capture: String, _ proto: ProtocolFamily, _ encoding: ECGListenSession.Encoding,
                noise: [UInt8] = [0x00, 0x13, 0xFF]) throws -> (Sink, SessionSummary, sentBack: [UInt8]) {
        let bytes = capture.isEmpty ? [] : [UInt8](try #require(FileManager.default.contents(atPath: Self.repo + "/DeviceProfiles/" + capture)))
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.profile(proto).line.tty)
        defer { port.close() }
        let session = ECGListenSession(transport: port, profile: Self.profile(proto), encoding: encoding,
                                       logger: Logger(label: "test"), idleLimitMillis: 1500, fallbackSerial: "usb:FT-TEST")
        let master = pty.master
        let writer = Thread { Self.push(noise + bytes, to: master) }
        writer.start()
        let sink = Sink()
        let summary = session.run(into: sink)
        return (sink, summary, pty.read(waitingMillis: 50))
    }

    @Test func scpRecordsArriveWholeAndNothingIsSentBack() throws {
        let capture = "generic/ecg-12-lead-cart/captures/resting-12-lead.bin"
        let (sink, summary, sentBack) = try listen(capture, .scpECG, .scp)
        let expected = SCPDump.decodeCapture([UInt8](FileManager.default.contents(atPath: Self.repo + "/DeviceProfiles/" + capture)!),
                                             profileID: "ecg-test")
        #expect(summary.outcome == .complete)
        #expect(summary.recordsRead == 2)
        #expect(sink.readings == expected.readings)
        let waveforms = sink.readings.compactMap(\.waveform)
        #expect(!waveforms.isEmpty && waveforms.allSatisfy { $0.leads.count == 12 && $0.samplesPerLead == 5_000 })
        #expect(sentBack.isEmpty, "the gateway wrote \(sentBack.count) bytes to the cart")
    }

    @Test func framedTransferArrivesWhole() throws {
        let capture = "generic/ecg-pgec-transfer/captures/resting-12-lead.bin"
        let (sink, summary, sentBack) = try listen(capture, .ecgWaveform, .framedTransfer)
        let expected = ECGTransferDump.decodeCapture([UInt8](FileManager.default.contents(atPath: Self.repo + "/DeviceProfiles/" + capture)!),
                                                     profileID: "ecg-test")
        #expect(summary.outcome == .complete)
        #expect(sink.readings == expected.readings)
        #expect(sentBack.isEmpty)
    }

    @Test func aSilentCartEndsQuiet() throws {
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: Self.profile(.scpECG).line.tty)
        defer { port.close() }
        let session = ECGListenSession(transport: port, profile: Self.profile(.scpECG), encoding: .scp,
                                       logger: Logger(label: "test"), idleLimitMillis: 600, fallbackSerial: "usb:FT-TEST")
        #expect(session.run(into: Sink()).outcome == .quiet)
    }

    /// The profile's `quiet_time_s` ends a silent session; without it the cart is heard
    /// whenever it sends (checked by the daemon tests, which stop the session).
    @Test func theProfilesQuietTimeEndsASilentSession() throws {
        var profile = Self.profile(.ecgWaveform)
        profile.session.quietTimeSeconds = 1
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: profile.line.tty)
        defer { port.close() }
        let session = ECGListenSession(transport: port, profile: profile, encoding: .framedTransfer, logger: Logger(label: "test"),
                                       fallbackSerial: "usb:FT-TEST")
        #expect(session.run(into: Sink()).outcome == .quiet)
        #expect(pty.read(waitingMillis: 50).isEmpty)
    }

    /// What an HL7 kiosk or an ASTM analyzer would send: text, never an SCP-ECG record.
    static func foreignBytes(_ count: Int) -> [UInt8] {
        let message = Array("MSH|^~\\&|KIOSK|CLINIC|||20240615083000||ORU^R01|1|P|2.5\rOBX|1|NM|8867-4^Heart rate^LN||72|/min\r".utf8)
        return (0..<count).map { message[$0 % message.count] }
    }

    @Test("garbage counters only: a link that is not an SCP-ECG cart is named so within one record's worth of bytes")
    func aForeignLinkIsNotAnSCPCart() throws {
        let (sink, summary, sentBack) = try listen("", .scpECG, .scp, noise: Self.foreignBytes(ECGListenSession.notSCPLimit + 600))
        guard case let .notThisProtocol(detail) = summary.outcome else {
            Issue.record("outcome \(summary.outcome), expected not-this-protocol")
            return
        }
        #expect(detail.contains("not an SCP-ECG cart"))
        #expect(sink.readings.isEmpty && sentBack.isEmpty)
    }

    @Test("an SCP-ECG cart behind a burst of line noise is not called foreign: its records are read")
    func noiseBeforeARealCartIsNotForeign() throws {
        let capture = "generic/ecg-12-lead-cart/captures/resting-12-lead.bin"
        let (_, summary, _) = try listen(capture, .scpECG, .scp, noise: Self.foreignBytes(ECGListenSession.notSCPLimit - 200))
        #expect(summary.outcome == .complete && summary.recordsRead == 2)
    }
}
