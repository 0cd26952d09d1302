import DeviceProfiles
import PocGateCore
import Sessions
import Testing

/// The shipped GlucoMen areo profile on SiLabs' generic CP210x id, which the replay-only SD
/// CodeFree profile claims too.
@Suite struct GlucoMenAreoProfileTests {
    static let cp210x = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x10c4, productID: 0xea60))

    /// Risk: an areo's port left to the replay-only CodeFree profile (never read), or load
    /// order deciding between them.
    @Test func theLiveAreoProfileWinsTheCP210xTieWithoutAnOverlapWarning() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        #expect(catalog.candidates(Self.cp210x).map(\.id) == ["menarini-glucomen-areo", "sd-codefree"])
        let areo = try #require(catalog.profile(id: "menarini-glucomen-areo"))
        #expect(areo.hasLiveSession && areo.match.probeOrder == 10)
        #expect(areo.line.parity == .odd && areo.line.baud == 9600 && areo.line.dataBits == 8 && areo.line.stopBits == 1)
        #expect(ProfileLint.overlapWarnings(areo, others: catalog.profiles, text: "match:\n").isEmpty)
        #expect(IdentificationProbe.of(areo)?.request == [0xA2])
    }
}
