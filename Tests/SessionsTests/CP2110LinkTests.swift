import Foundation
import Testing
import TestSupport
import Transports

/// A hidraw link stand-in: records output and feature reports, plays queued input reports.
final class RecordingHIDLink: DeviceLink, HIDFeatureReports {
    var input: [[UInt8]] = []
    var output: [[UInt8]] = []
    var featuresSet: [[UInt8]] = []
    var delivery: LinkDelivery { .messages(maximumLength: 64) }

    func write(_ bytes: [UInt8], timeoutMillis: Int) throws(LinkError) { output.append(bytes) }

    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMillis: Int) throws(LinkError) -> Int {
        guard !input.isEmpty else { return 0 }
        let report = input.removeFirst()
        let n = min(report.count, buffer.count)
        for i in 0..<n { buffer[i] = report[i] }
        return n
    }

    func getFeature(reportID: UInt8, length: Int) throws(LinkError) -> [UInt8] { [reportID] }
    func setFeature(_ report: [UInt8]) throws(LinkError) { featuresSet.append(report) }
    func discardInput() { input.removeAll() }
    func close() {}
}

@Suite struct CP2110LinkTests {
    static let line = TTYSettings(baud: 19200)

    /// Risk: a report that resets the bridge, drives its GPIOs or programs its one-time
    /// customisation (0x60–0x66 change the cable for ever) leaves the gateway. Every report id,
    /// in the shapes a caller could build, is refused except enable, a valid UART config and
    /// a FIFO purge.
    @Test func theBridgeAllowListRefusesEveryFeatureReportButEnableConfigAndPurge() {
        var allowed: [String] = []
        for id in 0...255 {
            let rid = UInt8(id)
            let shapes: [[UInt8]] = [[rid], [rid, 0x00], [rid, 0x01], [rid, 0x03], [rid, 0xFF],
                                     [rid, 0x00, 0x00, 0x4B, 0x00, 0x00, 0x00, 0x03, 0x00],
                                     [rid] + [UInt8](repeating: 0x01, count: 63)]
            for shape in shapes where CP2110Reports.mayWriteFeature(shape) {
                allowed.append(shape.map { String(format: "%02x", $0) }.joined())
            }
        }
        #expect(allowed == ["4101", "4301", "4303", "5000004b0000000300"])
        // Fields out of range, and the OTP/reset reports in their real shapes.
        for refused: [UInt8] in [[0x50, 0x00, 0x00, 0x00, 0x6E, 0x00, 0x00, 0x03, 0x00],   // 110 baud
                                 [0x50, 0x00, 0x0F, 0x42, 0x41, 0x00, 0x00, 0x03, 0x00],   // 1 000 001 baud
                                 [0x50, 0x00, 0x00, 0x4B, 0x00, 0x05, 0x00, 0x03, 0x00],   // parity 5
                                 [0x50, 0x00, 0x00, 0x4B, 0x00, 0x00, 0x00, 0x04, 0x00],   // data bits code 4
                                 [0x40, 0x01], [0x47, 0x00], [0x45, 0xFF, 0xFF], [0x60] + [UInt8](repeating: 0, count: 9),
                                 [0x65, 0x10, 0x03], [0x66] + [UInt8](repeating: 0, count: 16), [0x41, 0x00], [0x43, 0x00], []] {
            #expect(!CP2110Reports.mayWriteFeature(refused), "\(refused)")
        }
    }

    /// The refusal holds under the link: a feature report outside the list never reaches the
    /// device, whoever asks.
    @Test func aForbiddenFeatureReportNeverReachesTheDevice() throws {
        let hid = RecordingHIDLink()
        let guarded = ReadOnlyFeatureReports(hid, mayWrite: { CP2110Reports.mayWriteFeature($0) })
        for id in 0...255 {
            #expect(throws: LinkError.self) { try guarded.setFeature([UInt8(id), 0x00]) }
        }
        #expect(hid.featuresSet.isEmpty)
    }

    /// At open: enable, configure at the line, purge; nothing else. AN434 layouts.
    @Test func openingWritesEnableConfigPurgeInOrder() throws {
        let hid = RecordingHIDLink()
        _ = try CP2110Link(hid: hid, features: hid, line: Self.line, path: "/dev/hidraw9")
        #expect(hid.featuresSet == [[0x41, 0x01], [0x50, 0x00, 0x00, 0x4B, 0x00, 0x00, 0x00, 0x03, 0x00], [0x43, 0x03]])
        #expect(hid.output.isEmpty)
    }

    @Test(arguments: [
        (TTYSettings(baud: 9600, dataBits: 7, parity: .even, stopBits: 2, hardwareFlowControl: true), "5000002580020102 01"),
        (TTYSettings(baud: 115200, dataBits: 8, parity: .odd), "500001c200010003 00"),
        (TTYSettings(baud: 300, dataBits: 5), "500000012c000000 00"),
    ])
    func encodesTheUARTConfig(line: TTYSettings, hex: String) {
        let report = CP2110Reports.configReport(line)
        #expect(report.map { $0.map { String(format: "%02x", $0) }.joined() } == hex.replacingOccurrences(of: " ", with: ""))
    }

    /// Risk: a line the bridge cannot do configured half-way. It is refused before any report.
    @Test func aLineTheBridgeCannotDoIsRefusedBeforeAnyReport() {
        let hid = RecordingHIDLink()
        #expect(throws: LinkError.configureFailed(path: "/dev/hidraw9", errno: EINVAL)) {
            _ = try CP2110Link(hid: hid, features: hid, line: TTYSettings(baud: 110), path: "/dev/hidraw9")
        }
        #expect(hid.featuresSet.isEmpty)
    }

    /// Writes go out as data reports of at most 63 bytes, the id their count, in order.
    @Test func writesAreChunkedIntoDataReports() throws {
        let hid = RecordingHIDLink()
        let link = try CP2110Link(hid: hid, features: hid, line: Self.line, path: "/dev/hidraw9")
        let bytes = (0..<150).map { UInt8($0 & 0xFF) }
        try link.write(bytes, timeoutMillis: 100)
        #expect(hid.output.map(\.first) == [63, 63, 24])
        #expect(hid.output.map(\.count) == [64, 64, 25])
        #expect(hid.output.flatMap { $0.dropFirst() } == bytes)
    }

    /// Reads hand over each data report's bytes (the rest of one on the next read when the
    /// buffer is short) and skip reports that are not data reports.
    @Test func readsHandOverDataBytesAndSkipOtherReports() throws {
        let hid = RecordingHIDLink()
        let link = try CP2110Link(hid: hid, features: hid, line: Self.line, path: "/dev/hidraw9")
        hid.input = [[0x03, 0x51, 0x24, 0x77], [0x42, 0x00, 0x00], [0x00], [0x02, 0x42, 0xA5, 0x99]]
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2)
        for _ in 0..<6 {
            let n = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 0) }
            got += buffer.prefix(n)
        }
        // The 0x02 report's count cuts its trailing byte off.
        #expect(got == [0x51, 0x24, 0x77, 0x42, 0xA5])
    }

    /// Independent check: pycp2110 1.0.0 (PyPI) encodes enable and the UART config as the link
    /// does (its hidapi binding is stubbed; only its report encoders run).
    @Test(.enabled(if: PythonCheck.has("importlib"), "needs /usr/bin/python3"))
    func pycp2110EncodesTheSameSetupReports() throws {
        let script = """
            import sys, types
            sys.modules['hid'] = types.ModuleType('hid')
            try:
                import cp2110
            except ImportError:
                print('SKIP'); sys.exit(0)
            config = cp2110.UARTConfig(19200, cp2110.PARITY.NONE, cp2110.FLOW_CONTROL.DISABLED,
                                       cp2110.DATA_BITS.EIGHT, cp2110.STOP_BITS.SHORT)
            odd = cp2110.UARTConfig(115200, cp2110.PARITY.ODD, cp2110.FLOW_CONTROL.DISABLED,
                                    cp2110.DATA_BITS.EIGHT, cp2110.STOP_BITS.SHORT)
            even = cp2110.UARTConfig(9600, cp2110.PARITY.EVEN, cp2110.FLOW_CONTROL.ENABLED,
                                     cp2110.DATA_BITS.SEVEN, cp2110.STOP_BITS.LONG)
            enable = cp2110.outbuf(cp2110.REPORT.GET_SET_UART_ENABLE, 1)
            for report in (bytes(enable.raw[:2]), config.to_feature_report().raw,
                           odd.to_feature_report().raw, even.to_feature_report().raw):
                print(report.hex())
            """
        let (status, output) = try PythonCheck.run(script: script, arguments: [])
        #expect(status == 0, "\(output)")
        if output.hasPrefix("SKIP") { return }
        let ours = [CP2110Reports.enableUART,
                    CP2110Reports.configReport(Self.line)!,
                    CP2110Reports.configReport(TTYSettings(baud: 115200, parity: .odd))!,
                    CP2110Reports.configReport(TTYSettings(baud: 9600, dataBits: 7, parity: .even, stopBits: 2,
                                                           hardwareFlowControl: true))!]
        #expect(output.split(separator: "\n").map(String.init) == ours.map { $0.map { String(format: "%02x", $0) }.joined() })
    }

    /// Risk: a session writing a feature report its family never allowed. Through
    /// `ReadOnlyLink.features` a feature report passes the same allow-list as output reports.
    @Test func featureReportsThroughTheReadOnlyLinkPassItsAllowList() throws {
        let hid = RecordingHIDLink()
        let link = ReadOnlyLink(hid, mayTransmit: { $0.first == 0x05 })
        let features = try #require(link.features)
        try features.setFeature([0x05, 0x01])
        #expect(throws: LinkError.forbiddenWrite(hex: "60 00")) { try features.setFeature([0x60, 0x00]) }
        #expect(hid.featuresSet == [[0x05, 0x01]])
        let tty = ReadOnlyLink(try CP2110Link(hid: RecordingHIDLink(), features: RecordingHIDLink(), line: Self.line, path: "x"),
                               mayTransmit: { _ in true })
        #expect(tty.features == nil, "a byte-stream link has no feature reports to reach")
    }

    /// Hostile input: reports of any id and length (empty, cut short, count above the length)
    /// never crash the link, and only data-report bytes within both the count and the report
    /// come out, in order.
    @Test func hostileReportsYieldOnlyTheirCountedDataBytes() throws {
        let hid = RecordingHIDLink()
        let link = try CP2110Link(hid: hid, features: hid, line: Self.line, path: "/dev/hidraw9")
        var seed: UInt64 = 0x2110
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 33
        }
        var expected: [UInt8] = []
        for _ in 0..<2000 {
            let length = Int(next() % 66)
            let report = (0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }
            hid.input.append(report)
            if let id = report.first, (1...63).contains(id) { expected += report.dropFirst().prefix(Int(id)) }
        }
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 17)
        while !hid.input.isEmpty {
            let n = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 0) }
            got += buffer.prefix(n)
        }
        while true {
            let n = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeoutMillis: 0) }
            if n == 0 { break }
            got += buffer.prefix(n)
        }
        #expect(got == expected)
    }
}
