import Sessions
import Testing
import DeviceProfiles
import PocGateCore

/// The ECG profiles sit behind a generic FTDI FT230X id that other devices use too, so they
/// claim a port only when its USB product string is theirs.
@Suite struct ECGProfileMatchTests {
    static func port(product: String?) -> PortDescription {
        PortDescription(devnode: "/dev/ttyUSB3", syspath: "/sys/e", usb: USBIdentity(vendorID: 0x0403, productID: 0x6015, product: product))
    }

    @Test func claimsOnlyItsOwnProductString() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        #expect(catalog.profile(id: "ecg-12-lead-cart")?.protocol == .scpECG)
        #expect(catalog.profile(id: "ecg-pgec-transfer")?.protocol == .ecgWaveform)
        #expect(catalog.match(Self.port(product: "12-lead ECG cart"))?.id == "ecg-12-lead-cart")
        #expect(catalog.match(Self.port(product: "pocgate ECG bridge"))?.id == "ecg-pgec-transfer")
        for other in [nil, "FT230X Basic UART", "Health kiosk"] {
            let claimed = catalog.match(Self.port(product: other))?.id
            #expect(claimed != "ecg-12-lead-cart" && claimed != "ecg-pgec-transfer", "\(String(describing: other)) went to \(String(describing: claimed))")
        }
    }
}
