import DeviceProfiles
import FrameParsing
import Logging
import PocGateCore
import Sessions
import Testing
import Transports

/// The Glucose and Blood Pressure Profile sessions against a scripted GATT device (values
/// built from the SIG specification text: Glucose Measurement, Context, RACP, Blood Pressure
/// Measurement).
@Suite struct GATTSessionTests {
    static func uuid(_ short: UInt16) -> String { ReadOnlyGATT.sig(short) }
    static let gls = uuid(0x1808), measurement = uuid(0x2A18), context = uuid(0x2A34), racp = uuid(0x2A52)
    static let bps = uuid(0x1810), bpMeasurement = uuid(0x2A35)

    static func profile(_ family: ProtocolFamily, quiet: Int? = nil) -> DeviceProfile {
        var p = DeviceProfile(id: "t", version: 1, name: "t", kind: "glucose-meter", protocol: family,
                              match: MatchRules(usb: []), line: LineSettings(baud: 9600),
                              session: SessionSettings(replyTimeoutMillis: 50, retries: 0, quietTimeSeconds: quiet),
                              sourceFile: "t", contentHash: "0")
        p.transport = .bleGATT
        return p
    }

    /// Glucose Measurement: time offset and concentration (kg/L, capillary, finger) present;
    /// `mgdl` as SFLOAT mantissa with exponent −5.
    static func glucose(_ seq: UInt16, mgdl: UInt16, contextFollows: Bool = false) -> [UInt8] {
        let sfloat = UInt16(0xB000) | mgdl
        return [0x03 | (contextFollows ? 0x10 : 0), UInt8(seq & 0xFF), UInt8(seq >> 8), 0xE8, 0x07, 6, 1, 8, 0, 0, 0, 0,
                UInt8(sfloat & 0xFF), UInt8(sfloat >> 8), 0x11]
    }

    /// A scripted GATT device: answers a RACP write with `answer(bytes)`, records every call.
    final class ScriptedDevice: GATTAccess, DeviceLink {
        var offered: Set<String>
        var calls: [String] = []
        var written: [[UInt8]] = []
        var queue: [GATTValue] = []
        var endsAfterQueue = false
        var answer: ([UInt8]) -> [GATTValue] = { _ in [] }

        init(offered: Set<String>) { self.offered = offered }

        func has(service: String, characteristic: String) -> Bool { offered.contains(characteristic) }
        func subscribe(service: String, characteristic: String) throws(LinkError) {
            calls.append("subscribe \(BluetoothUUID.short(characteristic))")
        }
        func read(service: String, characteristic: String) throws(LinkError) -> [UInt8] {
            calls.append("read \(BluetoothUUID.short(characteristic))")
            // Current Time: 2024-06-02 09:30:15, Sunday, no fraction, no adjust reason.
            if characteristic == uuid(0x2A2B) { return [0xE8, 0x07, 6, 2, 9, 30, 15, 7, 0, 0] }
            return Array("SN-42".utf8)
        }
        func writeWithResponse(service: String, characteristic: String, _ bytes: [UInt8]) throws(LinkError) {
            calls.append("write \(BluetoothUUID.short(characteristic))")
            written.append(bytes)
            queue += answer(bytes)
        }
        func nextValue(timeoutMillis: Int) throws(LinkError) -> GATTValue? {
            if queue.isEmpty { if endsAfterQueue { throw .unplugged(errno: 107) } else { return nil } }
            return queue.removeFirst()
        }
        func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { throw .forbiddenWrite(hex: "") }
        func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int { 0 }
        func discardInput() {}
        func close() {}
    }

    final class Sink: SessionSink {
        var latest: String?
        var serial: String?
        var clock: LocalDateTime?
        var readings: [Reading] = []
        var keys: Set<String> = []
        var problems: [String] = []
        var shouldStop: Bool { false }
        func identified(serial: String, model: String, deviceClock: LocalDateTime?) throws {
            self.serial = serial
            clock = deviceClock
        }
        func received(_ reading: Reading) throws -> Bool {
            readings.append(reading)
            return keys.insert(reading.recordKey).inserted
        }
        func rejected(_ why: String, raw: [UInt8]) { problems.append(why) }
        func latestRecordKey(prefix: String) -> String? { latest }
    }

    static func meter(records: ClosedRange<UInt16>) -> ScriptedDevice {
        let device = ScriptedDevice(offered: [measurement, context, racp, uuid(0x2A25)])
        device.answer = { bytes in
            let from: UInt16 = bytes.count == 5 ? UInt16(bytes[3]) | UInt16(bytes[4]) << 8 : 0
            let chosen = bytes == [0x01, 0x06] ? [records.upperBound] : records.filter { $0 >= from }
            return chosen.map { GATTValue(characteristic: measurement, bytes: glucose($0, mgdl: 100 + $0)) }
                + [GATTValue(characteristic: racp, bytes: [0x06, 0x00, 0x01, chosen.isEmpty ? 0x06 : 0x01])]
        }
        return device
    }

    static func run(_ device: ScriptedDevice, _ sink: Sink, family: ProtocolFamily = .gattGlucose, quiet: Int? = nil) -> SessionSummary {
        let context = SessionContext(link: device, profile: profile(family, quiet: quiet), logger: Logger(label: "t"),
                                     localNow: { LocalDateTime(year: 2024, month: 6, day: 2) }, fallbackSerial: "AA:BB")
        return ProtocolRegistry.driver(family)!.makeSession!(context)!.run(into: sink)
    }

    /// Risk: a RACP written before indications are on (the meter refuses it: nothing read), or
    /// every reconnect re-reading the meter's whole memory.
    @Test func subscribesBeforeTheRACPWriteAndAsksOnlyAfterTheLastStoredRecord() {
        let first = Self.meter(records: 1...3)
        let sink = Sink()
        #expect(Self.run(first, sink).outcome == .complete)
        #expect(first.calls == ["read 2a25", "subscribe 2a18", "subscribe 2a34", "subscribe 2a52", "write 2a52"], "\(first.calls)")
        #expect(first.written == [[0x01, 0x01]])
        #expect(sink.serial == "SN-42" && sink.readings.count == 3)

        let again = Self.meter(records: 1...5)
        let later = Sink()
        later.latest = sink.readings.last!.recordKey
        let summary = Self.run(again, later)
        #expect(again.written == [[0x01, 0x03, 0x01, 0x04, 0x00]])
        #expect(later.readings.map { String($0.recordKey.split(separator: "|")[1]) } == ["4", "5"])
        #expect(summary.outcome == .complete && summary.recordsNew == 2)
    }

    /// Risk: a meter's clock never checked (readings with a wrong clock uploaded at the wrong
    /// time): the Current Time the meter offers is read before the transfer and reported.
    @Test func theMetersCurrentTimeIsReportedForTheClockCheck() {
        let device = Self.meter(records: 1...1)
        device.offered.insert(Self.uuid(0x2A2B))
        let sink = Sink()
        #expect(Self.run(device, sink).outcome == .complete)
        #expect(sink.clock == LocalDateTime(year: 2024, month: 6, day: 2, hour: 9, minute: 30, second: 15))
        #expect(device.calls.prefix(2) == ["read 2a25", "read 2a2b"])
    }

    /// Risk: "no records found" (nothing new) taken for a failure, retried and backed off.
    /// The meter's last record is asked for once to check its numbering; it is the one stored.
    @Test func noNewRecordsIsAComplete() {
        let device = Self.meter(records: 1...2)
        let sink = Sink()
        sink.latest = "gls|2|2024-06-01 08:00:00"
        let summary = Self.run(device, sink)
        #expect(summary.outcome == .complete)
        #expect(device.written == [[0x01, 0x03, 0x01, 0x03, 0x00], [0x01, 0x06]])
        #expect(sink.readings.map(\.recordKey) == ["gls|2|2024-06-01T08:00:00"])
    }

    /// Risk: new records left on the meter for good. A meter numbering from 1 again (factory
    /// reset) has nothing at or after the last stored number + 1, and its last record has a
    /// lower number: every record is asked for.
    @Test func aMeterNumberingFromOneAgainIsAskedForEveryRecord() {
        let device = Self.meter(records: 1...3)
        let sink = Sink()
        sink.latest = "gls|40|2024-06-09 07:00:00"
        let summary = Self.run(device, sink)
        #expect(summary.outcome == .complete)
        #expect(device.written == [[0x01, 0x03, 0x01, 41, 0x00], [0x01, 0x06], [0x01, 0x01]])
        #expect(Set(sink.readings.map { String($0.recordKey.split(separator: "|")[1]) }) == ["1", "2", "3"])
    }

    /// Risk: a meter whose numbering rolled over past 65535 never read again: "≥ 65535"
    /// finds nothing, its last record is below, so every record is asked for.
    @Test func aNumberingThatRolledOverIsReadWhole() {
        let device = Self.meter(records: 1...2)
        let sink = Sink()
        sink.latest = "gls|65535|2024-06-01 08:00:00"
        #expect(Self.run(device, sink).outcome == .complete)
        #expect(device.written == [[0x01, 0x03, 0x01, 0xFF, 0xFF], [0x01, 0x06], [0x01, 0x01]])
    }

    /// Risk: the gateway deleting or aborting on a meter. Only report requests pass the
    /// allow-list; a refused write never reaches the device.
    @Test func deleteAbortAndWritesOutsideTheRACPNeverReachTheMeter() {
        let device = ScriptedDevice(offered: [Self.racp])
        let gatt = ReadOnlyGATT(device, mayWrite: GATTGlucoseSession.mayWrite)
        for bytes: [UInt8] in [[0x02, 0x01], [0x03, 0x00], [0x01, 0x02], [0x04]] {
            #expect(throws: LinkError.self) { try gatt.write(Self.gls, Self.racp, bytes) }
        }
        #expect(throws: LinkError.self) { try gatt.write(Self.gls, Self.measurement, [0x01, 0x01]) }
        #expect(device.written.isEmpty)
        #expect(throws: Never.self) { try gatt.write(Self.gls, Self.racp, [0x01, 0x01]) }
        #expect(device.written == [[0x01, 0x01]])
    }

    /// Risk: a measurement waiting for its context lost when the link drops, or a value BlueZ
    /// hands over twice splitting a measurement from its context.
    @Test func aCutKeepsTheMeasurementWaitingForItsContextAndACopyIsReadOnce() {
        let device = ScriptedDevice(offered: [Self.measurement, Self.context, Self.racp])
        let m1 = Self.glucose(1, mgdl: 90, contextFollows: true)
        device.answer = { _ in [GATTValue(characteristic: Self.measurement, bytes: m1),
                                GATTValue(characteristic: Self.measurement, bytes: m1),
                                GATTValue(characteristic: Self.context, bytes: [0x02, 0x01, 0x00, 0x01]),
                                GATTValue(characteristic: Self.measurement, bytes: Self.glucose(2, mgdl: 95, contextFollows: true))] }
        device.endsAfterQueue = true
        let sink = Sink()
        let summary = Self.run(device, sink)
        #expect(summary.outcome == .unplugged)
        #expect(sink.readings.count == 2, "\(sink.problems)")
        #expect(sink.readings.first?.flags == [.beforeMeal])
        #expect(sink.serial == "AA:BB")
    }

    /// Risk: a monitor's own disconnect after indicating reported as a failed session, or its
    /// measurement stored twice. Nothing is ever written to the monitor.
    @Test func bloodPressureMonitorsDisconnectAfterItsIndicationIsANormalEnd() {
        let device = ScriptedDevice(offered: [Self.bpMeasurement])
        // mmHg, time stamp, pulse: 128/82 mean 97, 2024-06-20 07:45:30, pulse 66.
        let value: [UInt8] = [0x06, 128, 0, 82, 0, 97, 0, 0xE8, 0x07, 6, 20, 7, 45, 30, 66, 0]
        device.queue = [GATTValue(characteristic: Self.bpMeasurement, bytes: value),
                        GATTValue(characteristic: Self.bpMeasurement, bytes: value)]
        device.endsAfterQueue = true
        let sink = Sink()
        let summary = Self.run(device, sink, family: .gattBloodPressure)
        #expect(summary.outcome == .complete)
        #expect(summary.recordsRead == 1)
        #expect(sink.readings.map(\.code) == ["85354-9", "8867-4"])
        #expect(device.written.isEmpty)
    }

    /// Risk: a hostile or broken meter crashing the session or losing the good records around
    /// its junk. Truncated measurements, junk contexts and RACP indications that are no response
    /// are kept as problems; the good record is stored and the transfer ends at the real answer.
    @Test func junkValuesAreKeptAsProblemsAroundTheGoodRecord() {
        let device = ScriptedDevice(offered: [Self.measurement, Self.context, Self.racp])
        device.answer = { _ in
            [GATTValue(characteristic: Self.measurement, bytes: [0x03, 0x01]),
             GATTValue(characteristic: Self.context, bytes: [0xFF]),
             GATTValue(characteristic: Self.racp, bytes: [0x01, 0x01]),
             GATTValue(characteristic: Self.measurement, bytes: Self.glucose(7, mgdl: 120)),
             GATTValue(characteristic: Self.context, bytes: [0x02, 0x09, 0x00, 0x01]),
             GATTValue(characteristic: Self.measurement, bytes: Array(repeating: 0xFF, count: 512)),
             GATTValue(characteristic: Self.racp, bytes: [0x06, 0x00, 0x01, 0x01])]
        }
        let sink = Sink()
        let summary = Self.run(device, sink)
        #expect(summary.outcome == .complete)
        #expect(sink.readings.map { String($0.recordKey.split(separator: "|")[1]) } == ["7"])
        #expect(sink.problems.count == 5, "\(sink.problems)")
    }

    /// `pocgate replay` of a capture of measurement values decodes through the same codecs:
    /// one glucose reading per Glucose Measurement, the panel and pulse per BP measurement.
    @Test func capturesOfMeasurementValuesReplay() {
        let at = LocalDateTime(year: 2024, month: 6, day: 2)
        let glucose = ProtocolRegistry.driver(.gattGlucose)!.decodeCapture(
            ReplayInput(chunks: [.init(receivedAt: at, bytes: Self.glucose(1, mgdl: 90)), .init(receivedAt: at, bytes: [0x03, 0x02])]),
            Self.profile(.gattGlucose))
        #expect(glucose.readings.first?.recordKey.hasPrefix("gls|1|") == true)
        #expect(glucose.readings.count == 1 && glucose.problems.count == 1)
        let value: [UInt8] = [0x06, 128, 0, 82, 0, 97, 0, 0xE8, 0x07, 6, 20, 7, 45, 30, 66, 0]
        let bp = ProtocolRegistry.driver(.gattBloodPressure)!.decodeCapture(
            ReplayInput(chunks: [.init(receivedAt: at, bytes: value)]), Self.profile(.gattBloodPressure))
        #expect(bp.readings.map(\.code) == ["85354-9", "8867-4"])
    }

    /// A monitor that indicates nothing for the quiet time ends `quiet` (an idle port), not failed.
    @Test func aSilentMonitorEndsQuiet() {
        let device = ScriptedDevice(offered: [Self.bpMeasurement])
        #expect(Self.run(device, Sink(), family: .gattBloodPressure, quiet: 1).outcome == .quiet)
    }
}
