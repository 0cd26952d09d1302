import Tools
import Emulators
import Daemon
import DeviceProfiles
import Foundation
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The HL7 listener against a scripted kiosk on a pseudo-terminal: the kiosk sends ORU
/// messages (with line noise) and waits for each acknowledgement before the next.
@Suite struct HL7SessionTests {
    static let profile = DeviceProfile(
        id: "generic-hl7-health-kiosk", version: 1, name: "test", kind: "health-kiosk", protocol: .hl7MLLP,
        match: MatchRules(usb: [USBMatch(vendorID: 0x0403, productID: 0x6001, product: "HL7 Health Kiosk")]),
        line: LineSettings(baud: 115200),
        session: SessionSettings(replyTimeoutMillis: 1000, retries: 0, wakeAttempts: 1, powerOffWhenDone: false, pollIntervalSeconds: 5),
        sourceFile: "test", contentHash: "0")
    static let now = LocalDateTime(year: 2024, month: 6, day: 15, hour: 9, minute: 0)
    static let patient = "320102196203150026"

    static func message(_ control: String, patient: String = patient, type: String = "ORU^R01^ORU_R01", obx: [String]) -> [UInt8] {
        let segments = [#"MSH|^~\&|HK-7000^00A0C9FFFE123456^EUI-64|CLINIC|POCGATE||20240615083512+0800||"# + type + "|\(control)|P|2.6",
                        "PID|1||\(patient)^^^CHN^NNCHN", "OBR|1||||||20240615082900+0800"] + obx
        return MLLPBlock.wrap(Array((segments.joined(separator: "\r") + "\r").utf8))
    }

    static let first = message("K1", obx: ["OBX|1|NM|8480-6^SYS^LN||128|mm[Hg]", "OBX|2|NM|8462-4^DIA^LN||82|mm[Hg]",
                                           "OBX|3|NM|8867-4^HR^LN||71|/min", "OBX|4|NM|14743-9^GLU^LN||6.1|mmol/L"])
    static let second = message("K2", patient: "440305197508220031", obx: ["OBX|1|NM|59408-5^SPO2^LN||98|%"])

    /// Plays the kiosk on the master side: sends each message, then waits for one MLLP block back.
    final class ScriptedKiosk: @unchecked Sendable {
        let pty: PTYPair
        private let script: [[UInt8]]
        private(set) var acks: [[UInt8]] = []
        private(set) var everything: [UInt8] = []
        private let done = DispatchSemaphore(value: 0)

        init(_ script: [[UInt8]]) throws {
            pty = try PTYPair()
            self.script = script
        }

        func start() {
            Thread { [self] in
                var stream = FrameStream(MLLPFrameDecoder())
                for bytes in script {
                    pty.write(bytes)
                    let deadline = Date().addingTimeInterval(5)
                    var got: MLLPBlock?
                    while got == nil, Date() < deadline {
                        let chunk = pty.read(waitingMillis: 100)
                        everything += chunk
                        stream.append(chunk)
                        got = stream.next()
                    }
                    guard let got else { break }
                    acks.append(got.payload)
                }
                done.signal()
            }.start()
        }

        func wait() { done.wait() }
    }

    final class Sink: SessionSink {
        var readings: [Reading] = []
        var rejections: [String] = []
        var serial: String?
        var failAt: Int?
        var kiosk: ScriptedKiosk?
        var bytesSeenBeforeStore: [Int] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool {
            if let failAt, readings.count == failAt { throw StoreBroke() }
            // Nothing may have been sent back while a message's readings are being stored.
            bytesSeenBeforeStore.append(kiosk?.pty.read(waitingMillis: 0).count ?? 0)
            readings.append(reading)
            return true
        }
        func rejected(_ why: String, raw: [UInt8]) { rejections.append(why) }
    }

    struct StoreBroke: Error {}

    static func run(_ script: [[UInt8]], sink: Sink) throws -> (SessionSummary, ScriptedKiosk) {
        let kiosk = try ScriptedKiosk(script)
        sink.kiosk = kiosk
        let port = try SerialPort(path: kiosk.pty.slavePath, line: profile.line.tty)
        defer { port.close() }
        let session = HL7Session(transport: port, profile: profile, logger: Logger(label: "test"), now: { now }, idleLimitMillis: 3000)
        kiosk.start()
        let summary = session.run(into: sink)
        kiosk.wait()
        return (summary, kiosk)
    }

    static func msa(_ ack: [UInt8]) throws -> (code: String, control: String) {
        let m = try HL7Message(parsing: ack)
        let msa = try #require(m.first("MSA"))
        return (msa.text(1), msa.text(2))
    }

    @Test func twoMessagesAreStoredThenAcceptedAndNothingElseIsSent() throws {
        let sink = Sink()
        let noise: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A]
        let (summary, kiosk) = try Self.run([noise + Self.first, Array("AT\r\n".utf8) + Self.second], sink: sink)
        #expect(summary.outcome == .complete)
        #expect(summary.recordsAnnounced == 2 && summary.recordsRead == 4 && summary.recordsNew == 4)
        #expect(sink.serial == "00A0C9FFFE123456")
        #expect(sink.readings.map(\.kind) == [.bloodPressure, .heartRate, .glucose, .oxygenSaturation])
        #expect(sink.readings.map(\.patientID) == [Self.patient, Self.patient, Self.patient, "440305197508220031"])
        #expect(sink.bytesSeenBeforeStore.allSatisfy { $0 == 0 })
        #expect(try kiosk.acks.map(Self.msa).map { [$0.code, $0.control] } == [["AA", "K1"], ["AA", "K2"]])
        // Every byte the gateway wrote is part of an MLLP-wrapped acknowledgement.
        var stream = FrameStream(MLLPFrameDecoder())
        stream.append(kiosk.everything)
        var blocks = 0
        while let block = stream.next() {
            #expect(HL7Acknowledgement.mayTransmit(block.bytes))
            blocks += 1
        }
        #expect(blocks == 2 && stream.counters.garbageBytes == 0 && stream.pendingCount == 0)
        #expect(sink.rejections.isEmpty)
    }

    @Test func storeFailureIsAnsweredAEAndEndsTheSession() throws {
        let sink = Sink()
        sink.failAt = 1
        let (summary, kiosk) = try Self.run([Self.first], sink: sink)
        guard case .storeFailed = summary.outcome else { Issue.record("outcome \(summary.outcome)"); return }
        #expect(sink.readings.count == 1)
        #expect(kiosk.acks.count == 1)
        let ack = try HL7Message(parsing: kiosk.acks[0])
        #expect(ack.first("MSA")?.text(1) == "AE" && ack.first("MSA")?.text(2) == "K1")
        #expect(ack.first("ERR")?.text(3) == "207")
    }

    /// A vital-signs monitor with generic MDC codes (pulse rate 149522, temperature 150344 with
    /// its site) and results it did not measure (empty OBX-5): its vitals are stored and the
    /// message answered AA, so the monitor does not send it again for ever.
    @Test func aVitalSignsMonitorWithGenericMDCCodesAndEmptyFieldsIsStoredAndAnsweredAA() throws {
        let sink = Sink()
        let monitor = Self.message("M1", obx: [
            "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|128|266016^MDC_DIM_MMHG^MDC|||||R",
            "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|82|266016^MDC_DIM_MMHG^MDC|||||R",
            "OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.0.1.3||266016^MDC_DIM_MMHG^MDC|||||R",
            "OBX|4|NM|149522^MDC_PULS_RATE^MDC|1.0.2.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
            "OBX|5|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.3.1|97|262688^MDC_DIM_PERCENT^MDC|||||R",
            "OBX|6|NM|150344^MDC_TEMP^MDC|1.0.4.1|36.8|268192^MDC_DIM_DEGC^MDC|||||R|||||||||^Oral",
            "OBX|7|NM|151562^MDC_RESP_RATE^MDC|1.0.5.1||264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
        ])
        let (summary, kiosk) = try Self.run([monitor], sink: sink)
        #expect(summary.outcome == .complete)
        #expect(sink.readings.map(\.kind) == [.bloodPressure, .heartRate, .oxygenSaturation, .bodyTemperature])
        #expect(sink.rejections.isEmpty)
        let ack = String(decoding: try #require(kiosk.acks.first), as: UTF8.self)
        #expect(try kiosk.acks.map(Self.msa).map { [$0.code, $0.control] } == [["AA", "M1"]])
        #expect(!ack.contains("ERR"), "\(ack)")
    }

    /// A stored message answered AE is sent again by the device for ever: a message whose usable
    /// results are stored is answered AA, and the result that could not be used is named in an
    /// ERR segment of severity W (warning) and logged with its bytes.
    @Test func aStoredMessageWithAnUnusableResultIsAnsweredAAWithAWarningNotAE() throws {
        let sink = Sink()
        let odd = Self.message("K3", obx: ["OBX|1|NM|8867-4^HR^LN||71|/min", "OBX|2|NM|14743-9^GLU^LN||6.1|furlong"])
        let adt = Self.message("K4", type: "ADT^A01", obx: [])
        let (summary, kiosk) = try Self.run([odd, adt], sink: sink)
        #expect(summary.outcome == .complete)
        #expect(sink.readings.map(\.kind) == [.heartRate])
        #expect(try kiosk.acks.map(Self.msa).map { [$0.code, $0.control] } == [["AA", "K3"], ["AR", "K4"]])
        let first = String(decoding: try #require(kiosk.acks.first), as: UTF8.self)
        #expect(first.contains("ERR||OBX^2^6|103^Table value not found^HL70357|W|"), "\(first)")
        #expect(sink.rejections.count == 2)
        #expect(!sink.rejections.joined().contains(Self.patient))
    }

    /// A kiosk that sends nothing for the profile's `quiet_time_s`: the session ends `quiet`
    /// (not `complete`), so the daemon logs it at debug and reopens the port without back-off.
    @Test func aSilentKioskEndsQuietAfterTheProfilesQuietTime() throws {
        var profile = Self.profile
        profile.session.quietTimeSeconds = 1
        let pty = try PTYPair()
        let port = try SerialPort(path: pty.slavePath, line: profile.line.tty)
        defer { port.close() }
        let session = HL7Session(transport: port, profile: profile, logger: Logger(label: "test"), now: { Self.now })
        #expect(session.run(into: Sink()).outcome == .quiet)
        #expect(pty.read(waitingMillis: 50).isEmpty)
    }
}
