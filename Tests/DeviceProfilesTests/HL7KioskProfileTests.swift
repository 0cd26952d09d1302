import Sessions
import Testing
import DeviceProfiles
import PocGateCore

/// The generic HL7 kiosk profile takes only bridges with its product string, never the plain
/// FTDI cable the OneTouch profile claims.
@Suite struct HL7KioskProfileTests {
    @Test func kioskMatchesByProductStringOnly() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        let kiosk = try #require(catalog.profiles.first { $0.id == "generic-hl7-health-kiosk" })
        #expect(kiosk.protocol == .hl7MLLP && kiosk.hasLiveSession && kiosk.kind == "health-kiosk")
        let port = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/k",
                                   usb: USBIdentity(vendorID: 0x0403, productID: 0x6001, product: "HL7 Health Kiosk"))
        #expect(catalog.match(port)?.id == "generic-hl7-health-kiosk")
        let cable = PortDescription(devnode: "/dev/ttyUSB1", syspath: "/sys/c",
                                    usb: USBIdentity(vendorID: 0x0403, productID: 0x6001, product: "FT232R USB UART"))
        #expect(catalog.match(cable)?.id != "generic-hl7-health-kiosk")
        let bare = PortDescription(devnode: "/dev/ttyUSB2", syspath: "/sys/b", usb: USBIdentity(vendorID: 0x0403, productID: 0x6001))
        #expect(catalog.match(bare)?.id != "generic-hl7-health-kiosk")
    }
}
