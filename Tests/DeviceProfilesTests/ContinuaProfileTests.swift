import Sessions
import DeviceProfiles
import Foundation
import PocGateCore
import Testing

/// The shipped Continua (IEEE 11073-20601) profiles claim only their own devices.
@Suite struct ContinuaProfileTests {
    static let catalog = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)

    static func port(_ vendor: UInt16, _ product: UInt16, name: String? = nil) -> PortDescription {
        PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x",
                        usb: USBIdentity(vendorID: vendor, productID: product, product: name))
    }

    @Test func profilesLoadWithTheLiveManagerSession() throws {
        #expect(Self.catalog.issues.isEmpty, "\(Self.catalog.issues)")
        let glucose = try #require(Self.catalog.catalog.profile(id: "continua-glucose-meter"))
        let bp = try #require(Self.catalog.catalog.profile(id: "continua-bp-monitor"))
        #expect(glucose.protocol == .ieee11073 && bp.protocol == .ieee11073)
        #expect(ProtocolFamily.ieee11073.rawValue == "ieee11073-20601" && glucose.hasLiveSession)
        #expect(bp.kind == "blood-pressure-monitor")
        // The agent speaks first: the port stays open for its association request and is
        // reopened at once after a silent window, never closed for minutes of back-off.
        for p in [glucose, bp] {
            #expect(p.session.quietTimeSeconds == 600 && p.session.pollIntervalSeconds == 1)
        }
    }

    @Test func theyMatchTheirProductStringsAndStealNoPort() {
        let catalog = Self.catalog.catalog
        #expect(catalog.match(Self.port(0x0403, 0x6015, name: "Continua Glucose Meter"))?.id == "continua-glucose-meter")
        #expect(catalog.match(Self.port(0x0403, 0x6015, name: "Continua Blood Pressure Monitor"))?.id == "continua-bp-monitor")
        // A bare FT230X, or one naming another device, is not claimed.
        #expect(catalog.match(Self.port(0x0403, 0x6015)) == nil)
        #expect(catalog.match(Self.port(0x0403, 0x6015, name: "FT230X Basic UART")) == nil)
        // The ports of the other shipped profiles still go to them, even when they carry the
        // Continua product strings (those profiles name other ids).
        for (vendor, product) in [(UInt16(0x067b), UInt16(0x2303)), (0x0403, 0x6001), (0x1a86, 0x7523), (0x10c4, 0xea60), (0x1a61, 0x3410)] {
            for name in [nil, "Continua Glucose Meter"] {
                #expect(catalog.match(Self.port(vendor, product, name: name))?.protocol != .ieee11073)
            }
        }
    }
}
