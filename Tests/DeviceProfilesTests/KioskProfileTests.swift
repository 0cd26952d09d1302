import Sessions
import Testing
import DeviceProfiles
import PocGateCore

/// The AA55 kiosk profile claims only an FT232R carrying its product string, never a stock
/// FTDI cable that another profile reads.
@Suite struct KioskProfileTests {
    @Test func kioskProfileNeedsItsProductString() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        let kiosk = try #require(catalog.profile(id: "aa55-health-kiosk"))
        #expect(kiosk.protocol == .kioskAA55 && !kiosk.hasLiveSession)
        #expect(kiosk.kind == "health-kiosk" && kiosk.line.baud == 460800)
        let stock = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/a",
                                    usb: USBIdentity(vendorID: 0x0403, productID: 0x6001, product: "FT232R USB UART"))
        #expect(catalog.match(stock)?.id != "aa55-health-kiosk")
        let bare = PortDescription(devnode: "/dev/ttyUSB1", syspath: "/sys/b", usb: USBIdentity(vendorID: 0x0403, productID: 0x6001))
        #expect(catalog.match(bare)?.id != "aa55-health-kiosk")
        let tapped = PortDescription(devnode: "/dev/ttyUSB2", syspath: "/sys/c",
                                     usb: USBIdentity(vendorID: 0x0403, productID: 0x6001, product: "pocgate AA55 kiosk"))
        #expect(catalog.match(tapped)?.id == "aa55-health-kiosk")
    }
}
