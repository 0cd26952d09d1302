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

    /// Virtual consoles, `/dev/tty`, `ptmx` and `console` are passed over by their path before
    /// libudev builds them; a bound RFCOMM tty in the same directory, a tty below a device
    /// (USB, a PNP serial port) and anything deeper are not.
    @Test(arguments: [
        ("/sys/devices/virtual/tty/tty0", true), ("/sys/devices/virtual/tty/tty63", true),
        ("/sys/devices/virtual/tty/ptmx", true), ("/sys/devices/virtual/tty/console", true),
        ("/sys/devices/virtual/tty/tty", true), ("/sys/devices/virtual/tty/rfcomm1", false),
        ("/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0", false),
        ("/sys/devices/pnp0/00:00/00:00:0/00:00:0.0/tty/ttyS0", false),
        ("/sys/devices/virtual/misc/uhid/0005:0001:0002.0001/hidraw/hidraw0", false),
        ("/sys/devices/virtual/tty/tty0/extra", false),
    ])
    func virtualConsolesAreToldFromTheirPath(syspath: String, skipped: Bool) {
        #expect(PortScan.isVirtualTTY(syspath) == skipped)
    }
}
