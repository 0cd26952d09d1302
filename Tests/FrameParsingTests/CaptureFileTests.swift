import FrameParsing
import Testing

@Suite struct CaptureFileTests {
    let file = CaptureFile(header: "{\"profile\":\"x\"}", chunks: [
        .init(direction: .gateway, micros: 10, bytes: [0x51, 0x24]),
        .init(direction: .device, micros: 2_000, bytes: [0x51, 0x24, 0x77]),
        .init(direction: .device, micros: 70_000_000_000, bytes: []),
        .init(direction: .device, micros: 70_000_000_001, bytes: [0xA5]),
    ])

    @Test func roundTrips() throws {
        let bytes = file.encoded()
        #expect(CaptureFile.isCapture(bytes))
        #expect(try CaptureFile.parse(bytes) == file)
        #expect(try CaptureFile.deviceBytes(of: bytes) == [0x51, 0x24, 0x77, 0xA5])
        #expect(file.gatewayBytes == [0x51, 0x24])
    }

    @Test func plainCapturesPassThrough() throws {
        #expect(try CaptureFile.deviceBytes(of: [0x51, 0x24, 0x00]) == [0x51, 0x24, 0x00])
    }

    @Test func aCutFileSaysWhere() {
        let bytes = file.encoded()
        #expect(throws: CaptureFile.ReadError.truncated(atOffset: bytes.count - 1)) {
            try CaptureFile.parse(Array(bytes.dropLast()))
        }
        var damaged = bytes
        damaged[CaptureFile.magic.count + 4 + file.header.utf8.count] = 0x58
        #expect(throws: CaptureFile.ReadError.badDirection(0x58, atOffset: CaptureFile.magic.count + 4 + file.header.utf8.count)) {
            try CaptureFile.parse(damaged)
        }
    }

    /// Risk: a CP2110 capture replayed with its report-count bytes inside the meter's frames.
    /// The UART bytes of each data report are what decoders get; a file without `framing`
    /// (written before HID ports) reads as before.
    @Test func aCP2110CaptureReplaysItsUARTBytesWithoutTheReportCounts() throws {
        let capture = CaptureFile(header: #"{"profile":"n","transport":"cp2110","framing":"cp2110-reports"}"#, chunks: [
            .init(direction: .gateway, micros: 1, bytes: [0x08, 0x51, 0x24, 0, 0, 0, 0, 0xA3, 0x18]),
            .init(direction: .device, micros: 2, bytes: [0x03, 0x51, 0x24, 0x77]),
            .init(direction: .device, micros: 3, bytes: [0x42, 0x00]),          // not a data report
            .init(direction: .device, micros: 4, bytes: [0x05, 0x42, 0, 0, 0xA5, 0x7B, 0xEE]),  // count cuts the tail
        ])
        #expect(capture.framing == .cp2110Reports)
        #expect(try CaptureFile.deviceBytes(of: capture.encoded()) == [0x51, 0x24, 0x77, 0x42, 0, 0, 0xA5, 0x7B])
        #expect(capture.deviceChunks.map(\.micros) == [2, 4])
        #expect(capture.gatewayBytes == [0x51, 0x24, 0, 0, 0, 0, 0xA3, 0x18])
        #expect(file.framing == .bytes && file.deviceChunks.count == 3)
        let reports = CaptureFile(header: #"{"transport":"hid","framing":"reports"}"#, chunks: [
            .init(direction: .device, micros: 1, bytes: [0x01, 0x02]), .init(direction: .device, micros: 2, bytes: [0x03])])
        #expect(reports.framing == .reports && reports.deviceChunks.map(\.bytes) == [[0x01, 0x02], [0x03]])
    }
}
