import Daemon
import Tools
import Emulators
import DeviceProfiles
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Transports
import Testing

/// The live UltraEasy/UltraMini session against a scripted meter (frames built from the public
/// link protocol: every host frame acknowledged, a request's reply after the acknowledge).
@Suite struct LifeScanSessionTests {
    static let profile = DeviceProfile(
        id: "lifescan-onetouch-ultramini", version: 1, name: "t", kind: "glucose-meter", protocol: .lifescanBinary,
        match: MatchRules(usb: [USBMatch(vendorID: 0x067b, productID: 0x2303)]), line: LineSettings(baud: 9600),
        session: SessionSettings(replyTimeoutMillis: 200, retries: 1, wakeAttempts: 2), sourceFile: "t", contentHash: "0")

    /// 2024-06-15 08:30:00 as the meter's Unix seconds, then older by an hour per record.
    static let newest: UInt32 = 1_718_440_200
    static let values: [UInt32] = [120, 85, 301, 64]

    final class ScriptedMeter: DeviceLink {
        var written: [LifeScanFrame] = []
        var pending: [UInt8] = []
        var unplugAfterRecords: Int?
        var recordsServed = 0
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) {
            guard case let .frame(frame, _) = bytes.withUnsafeBytes({ LifeScanFrameDecoder().decode($0) }) else { return }
            written.append(frame)
            let m = frame.message.array
            if m.isEmpty {
                if frame.link.contains(.disconnect) { pending += LifeScanFrame(link: [.acknowledge, .disconnect]).bytes }
                return
            }
            pending += LifeScanFrame(link: .acknowledge).bytes
            var reply: [UInt8]?
            if m.starts(with: [0x05, 0x0B, 0x02]) { reply = [0x05, 0x06] + Array("C2MZ5B3BY".utf8) }
            if m == [0x05, 0x20, 0x02, 0, 0, 0, 0] { reply = [0x05, 0x06] + le(LifeScanSessionTests.newest + 600) }
            if m == [0x05, 0x1F, 0xF5, 0x01] { reply = [0x05, 0x0F, UInt8(LifeScanSessionTests.values.count), 0] }
            if m.count == 4, m[0] == 0x05, m[1] == 0x1F, Int(m[2]) < LifeScanSessionTests.values.count,
               recordsServed < (unplugAfterRecords ?? Int.max) {
                let i = Int(m[2])
                recordsServed += 1
                reply = [0x05, 0x06] + le(LifeScanSessionTests.newest - UInt32(i) * 3600) + le(LifeScanSessionTests.values[i])
            }
            if let reply { pending += LifeScanFrame(link: [], message: reply)!.bytes }
        }
        func le(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
            if pending.isEmpty, let cut = unplugAfterRecords, recordsServed >= cut { throw .unplugged(errno: 5) }   // the cable is gone
            let n = min(buffer.count, pending.count)
            for i in 0..<n { buffer[i] = pending[i] }
            pending.removeFirst(n)
            return n
        }
        func discardInput() { pending.removeAll() }
        func close() {}
    }

    final class Sink: SessionSink {
        var serial: String?
        var readings: [Reading] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws { self.serial = serial }
        func received(_ reading: Reading) throws -> Bool { readings.append(reading); return true }
        func rejected(_ why: String, raw: [UInt8]) { Issue.record("rejected \(why)") }
    }

    /// Risk: a live session that erases the meter or writes its clock, or mixes up records.
    @Test func readsEveryRecordWithReadRequestsAndToggledLinkBitsOnly() throws {
        let meter = ScriptedMeter()
        let sink = Sink()
        let summary = LifeScanSession(transport: meter, profile: Self.profile, logger: Logger(label: "t")).run(into: sink)
        #expect(summary.outcome == .complete && summary.recordsNew == 4)
        #expect(sink.serial == "C2MZ5B3BY")
        #expect(sink.readings.map(\.value) == Self.values.map { ExactDecimal(Int($0)) })
        #expect(sink.readings.first?.deviceTime.description == "2024-06-15T08:30:00")
        let requests = meter.written.filter { !$0.message.isEmpty }
        #expect(requests.allSatisfy { LifeScanRequest(message: $0.message) != nil }, "only read requests")
        // S and E toggle after every answered exchange: 00, 03, 00, 03, …
        #expect(requests.map(\.link.rawValue) == [0, 3, 0, 3, 0, 3, 0])
        #expect(meter.written.first?.link == .disconnect && meter.written.first?.message.isEmpty == true)
    }

    @Test func unplugMidDumpKeepsWhatWasRead() {
        let meter = ScriptedMeter()
        meter.unplugAfterRecords = 2
        let sink = Sink()
        let summary = LifeScanSession(transport: meter, profile: Self.profile, logger: Logger(label: "t")).run(into: sink)
        #expect(summary.outcome == .unplugged)
        #expect(sink.readings.map(\.value) == [ExactDecimal(120), ExactDecimal(85)])
    }
}
