import DeviceProfiles
import PocGateCore
import Sessions
import Testing

/// The shipped GlucoMen areo profile on SiLabs' generic CP210x id, which the SD CodeFree
/// profile claims too: both live, told apart by probing in `probe_order`.
@Suite struct GlucoMenAreoProfileTests {
    static let cp210x = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x10c4, productID: 0xea60))

    /// Risks: load order deciding between them, and a CodeFree meter sent the areo's 0xA2 (an
    /// unknown command leaves it needing a power cycle): the CodeFree is listened for first,
    /// sending nothing, and only a port where it was not heard is asked with 0xA2.
    @Test func onTheSharedCP210xIdTheCodeFreeIsListenedForBeforeTheAreoIsAsked() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        #expect(catalog.candidates(Self.cp210x).map(\.id) == ["sd-codefree", "menarini-glucomen-areo"])
        let codefree = try #require(catalog.profile(id: "sd-codefree"))
        #expect(codefree.hasLiveSession && codefree.match.probeOrder == 5)
        #expect(IdentificationProbe.of(codefree)?.request == [], "the CodeFree probe only listens")
        let areo = try #require(catalog.profile(id: "menarini-glucomen-areo"))
        #expect(areo.hasLiveSession && areo.match.probeOrder == 10)
        #expect(areo.line.parity == .odd && areo.line.baud == 9600 && areo.line.dataBits == 8 && areo.line.stopBits == 1)
        #expect(ProfileLint.overlapWarnings(areo, others: catalog.profiles, text: "match:\n").isEmpty)
        #expect(IdentificationProbe.of(areo)?.request == [0xA2])
    }
}
