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
}
