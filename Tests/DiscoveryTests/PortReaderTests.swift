@testable import Discovery
import Testing

@Suite struct PortReaderTests {
    @Test(arguments: [("067b", 0x067B), ("2303", 0x2303), ("FFFF", 0xFFFF), ("0", 0), ("1a86", 0x1A86)])
    func parsesSysfsUSBIDs(text: String, value: Int) {
        #expect(PortReader.usbID(text) == UInt16(value))
    }

    @Test(arguments: ["", "zz9x", "12345", "+7b", "-1", " 67b", "067b\n", "0x67"])
    func rejectsMalformedUSBIDs(text: String) {
        #expect(PortReader.usbID(text) == nil)
    }

    @Test func missingIDIsNil() {
        #expect(PortReader.usbID(nil) == nil)
    }
}
