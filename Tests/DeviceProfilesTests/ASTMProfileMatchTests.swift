import Sessions
import DeviceProfiles
import PocGateCore
import Testing

/// The ASTM profiles take only the ports meant for them: a plain FT232 stays with its existing
/// profile, an FT232 programmed with the product string `POCT-ASTM` goes to the generic ASTM
/// analyzer, and the Bayer cable id goes to the Contour profile.
@Suite struct ASTMProfileMatchTests {
    static func port(_ vendor: UInt16, _ product: UInt16, name: String? = nil) -> PortDescription {
        PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: vendor, productID: product, product: name))
    }

    @Test func astmProfilesDoNotStealGenericBridges() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        #expect(catalog.match(Self.port(0x0403, 0x6001))?.protocol != .astmE1394)
        #expect(catalog.match(Self.port(0x0403, 0x6001, name: "FT232R USB UART"))?.protocol != .astmE1394)
        #expect(catalog.match(Self.port(0x0403, 0x6001, name: "POCT-ASTM"))?.id == "generic-astm-poct")
        #expect(catalog.match(Self.port(0x1a79, 0x6001))?.id == "ascensia-contour")
        #expect(catalog.match(Self.port(0x067b, 0x2303))?.id == "taidoc-td4277")
        let contour = try #require(catalog.profile(id: "ascensia-contour"))
        #expect(contour.hasLiveSession && contour.session.replyTimeoutMillis == 30_000)
    }
}
