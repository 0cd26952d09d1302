import Tools
import Sessions
import Transports
import Daemon
import DeviceProfiles
import PocGateCore
import Testing

/// Why `pocgate devices` says a port has no profile, from hand-built ports and profiles.
@Suite struct PortVerdictTests {
    static func profile(_ id: String, _ rules: [USBMatch]) -> DeviceProfile {
        DeviceProfile(id: id, version: 1, name: id, kind: "glucose-meter", protocol: .taidocTD42xx,
                      match: MatchRules(usb: rules), line: LineSettings(baud: 19200), session: SessionSettings(),
                      sourceFile: "\(id).yaml", contentHash: "0000000000000000")
    }

    static let td4277 = profile("taidoc-td4277", [USBMatch(vendorID: 0x067B, productID: 0x2303)])
    static let usbRoot = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0"

    static func usbPort(_ vendor: UInt16, _ product: UInt16, serial: String? = nil,
                        manufacturer: String? = nil, productName: String? = nil) -> PortDescription {
        PortDescription(devnode: "/dev/ttyUSB0", syspath: usbRoot,
                        usb: USBIdentity(vendorID: vendor, productID: product, serial: serial,
                                         manufacturer: manufacturer, product: productName))
    }

    @Test func matchingPortNamesItsProfile() {
        let verdict = PortVerdict(port: Self.usbPort(0x067B, 0x2303), catalog: ProfileCatalog([Self.td4277]))
        #expect(verdict == PortVerdict(profile: "taidoc-td4277", why: nil))
    }

    @Test func otherUSBIDNamesTheClosestProfileAndBothIDs() {
        let verdict = PortVerdict(port: Self.usbPort(0x1A86, 0x7523), catalog: ProfileCatalog([Self.td4277]))
        #expect(verdict == PortVerdict(profile: nil,
                                       why: "no profile: closest taidoc-td4277 wants USB 067b:2303, port is 1a86:7523"))
    }

    @Test func sameVendorIsCloserThanAnUnrelatedProfileLoadedFirst() {
        let ftdi = Self.profile("other-ftdi", [USBMatch(vendorID: 0x0403, productID: 0x6001)])
        let verdict = PortVerdict(port: Self.usbPort(0x067B, 0x23A3), catalog: ProfileCatalog([ftdi, Self.td4277]))
        #expect(verdict.why == "no profile: closest taidoc-td4277 wants USB 067b:2303, port is 067b:23a3")
    }

    @Test func unrelatedPortFallsBackToTheFirstLoadedProfile() {
        let ftdi = Self.profile("other-ftdi", [USBMatch(vendorID: 0x0403, productID: 0x6001)])
        let verdict = PortVerdict(port: Self.usbPort(0x1A86, 0x7523), catalog: ProfileCatalog([ftdi, Self.td4277]))
        #expect(verdict.why == "no profile: closest other-ftdi wants USB 0403:6001, port is 1a86:7523")
    }

    @Test func sameIDsButDifferentDescriptorsNameEveryDifferingString() {
        let pinned = Self.profile("nexus-cable", [
            USBMatch(vendorID: 0x067B, productID: 0x2303, manufacturer: "Prolific Technology Inc.",
                     product: "Nexus Cable", serialPrefix: "NX"),
        ])
        let port = Self.usbPort(0x067B, 0x2303, serial: "A1B2C3D4", manufacturer: "Prolific Technology Inc.",
                                productName: "USB-Serial Controller")
        let verdict = PortVerdict(port: port, catalog: ProfileCatalog([pinned]))
        #expect(verdict.profile == nil)
        #expect(verdict.why == #"no profile: closest nexus-cable wants product "Nexus Cable", port has "USB-Serial Controller"; "#
                + #"wants a USB serial starting with "NX", port has "A1B2C3D4""#)
    }

    @Test func missingDescriptorIsCalledNone() {
        let pinned = Self.profile("nexus-cable", [USBMatch(vendorID: 0x067B, productID: 0x2303, manufacturer: "Prolific")])
        let verdict = PortVerdict(port: Self.usbPort(0x067B, 0x2303), catalog: ProfileCatalog([pinned]))
        #expect(verdict.why == #"no profile: closest nexus-cable wants manufacturer "Prolific", port has none"#)
    }

    @Test func ruleWithFewerDifferencesIsCloser() {
        let twoRules = Self.profile("two-rules", [
            USBMatch(vendorID: 0x067B, productID: 0x2303, manufacturer: "A", product: "B"),
            USBMatch(vendorID: 0x067B, productID: 0x2303, manufacturer: "Prolific", product: "C"),
        ])
        let port = Self.usbPort(0x067B, 0x2303, manufacturer: "Prolific", productName: "D")
        let verdict = PortVerdict(port: port, catalog: ProfileCatalog([twoRules]))
        #expect(verdict.why == #"no profile: closest two-rules wants product "C", port has "D""#)
    }

    @Test func noProfilesLoadedSaysSo() {
        let verdict = PortVerdict(port: Self.usbPort(0x067B, 0x2303), catalog: ProfileCatalog([]))
        #expect(verdict == PortVerdict(profile: nil, why: "no profile: no device profiles are loaded"))
    }

    @Test(arguments: [
        ("/dev/ttyS0", "/sys/devices/platform/serial8250/tty/ttyS0", "no USB parent (platform UART)"),
        ("/dev/ttyS0", "/sys/devices/pnp0/00:05/tty/ttyS0", "no USB parent (platform UART)"),
        ("/dev/ttyS4", "/sys/devices/pci0000:00/0000:00:16.3/tty/ttyS4", "no USB parent (PCI UART)"),
        ("/dev/rfcomm0", "/sys/devices/virtual/tty/rfcomm0", "no USB parent (Bluetooth RFCOMM)"),
        ("/dev/ttyUSB3", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0/ttyUSB3/tty/ttyUSB3",
         "USB parent with unreadable idVendor/idProduct"),
    ])
    func portWithoutUSBIdentityIsExplainedByWhatItIs(devnode: String, syspath: String, kind: String) {
        let verdict = PortVerdict(port: PortDescription(devnode: devnode, syspath: syspath),
                                  catalog: ProfileCatalog([Self.td4277]))
        #expect(verdict == PortVerdict(profile: nil, why: "\(kind): no profile matches ports without USB identity"))
    }

    static func hidProfile(_ id: String, interface: Int?) -> DeviceProfile {
        var p = profile(id, [USBMatch(vendorID: 0x10C4, productID: 0xEA80, interface: interface)])
        p.transport = .cp2110
        p.match.portTransport = .hidraw
        return p
    }

    static func hidrawPort(_ vendor: UInt16, _ product: UInt16, interface: Int?) -> PortDescription {
        PortDescription(devnode: "/dev/hidraw0", syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/0003:10C4:EA80.0001/hidraw/hidraw0",
                        usb: USBIdentity(vendorID: vendor, productID: product), transport: .hidraw, usbInterface: interface)
    }

    /// A hidraw node on another interface than the rule's is explained by the interface.
    @Test func hidrawNodeOnAnotherInterfaceSaysWhichTheRuleWants() {
        let verdict = PortVerdict(port: Self.hidrawPort(0x10C4, 0xEA80, interface: 1),
                                  catalog: ProfileCatalog([Self.hidProfile("nexus", interface: 0)]))
        #expect(verdict.why == "no profile: closest nexus wants USB interface 0, port is interface 1")
        let claimed = PortVerdict(port: Self.hidrawPort(0x10C4, 0xEA80, interface: 0),
                                  catalog: ProfileCatalog([Self.hidProfile("nexus", interface: 0)]))
        #expect(claimed == PortVerdict(profile: "nexus", why: nil))
    }

    /// A hidraw node whose USB id only a tty profile uses is not claimed, and the line says
    /// it is a HID port (a tty profile never opens hidraw); the reverse holds for a tty.
    @Test func aPortOfAnotherKindIsNeverClaimedAndSaysSo() {
        let hid = PortVerdict(port: Self.hidrawPort(0x067B, 0x2303, interface: 0), catalog: ProfileCatalog([Self.td4277]))
        #expect(hid.why == "no profile: a HID (hidraw) port; USB 067b:2303 is claimed only on another kind of port by taidoc-td4277")
        let tty = PortVerdict(port: Self.usbPort(0x10C4, 0xEA80), catalog: ProfileCatalog([Self.hidProfile("nexus", interface: nil)]))
        #expect(tty.why == "no profile: a tty port; USB 10c4:ea80 is claimed only on another kind of port by nexus")
    }

    /// Risk: a Bluetooth keyboard's hidraw node described as a serial UART. A HID node without
    /// a USB parent is called what it is.
    @Test func aHIDNodeWithoutUSBParentIsNotCalledAUART() {
        let port = PortDescription(devnode: "/dev/hidraw1", syspath: "/sys/devices/virtual/misc/uhid/0005:046D:B342.0001/hidraw/hidraw1",
                                   transport: .hidraw)
        #expect(PortVerdict(port: port, catalog: ProfileCatalog([Self.td4277])).why
                == "no USB parent (a Bluetooth, I2C or virtual HID device): no profile matches ports without USB identity")
    }
}
