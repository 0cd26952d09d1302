import Sessions
import DeviceProfiles
import FrameParsing
import Testing

/// `lifescan.meter`: which LifeScan meter a `lifescan-binary` profile's live session talks to.
@Suite struct LifeScanMeterProfileTests {
    static func profile(_ protocolName: String = "lifescan-binary", section: String) -> String {
        """
        id: t
        version: 1
        name: T
        protocol: \(protocolName)
        match:
          usb:
            - {vendor: 0x10c4, product: 0x85a7}
        line:
          baud: 38400
        \(section)
        """
    }

    @Test func theMeterIsReadAndDefaultsToTheUltraEasy() throws {
        let iq = try DeviceProfile.parse(Self.profile(section: "lifescan:\n  meter: verio-iq"), file: "t", families: .builtIn)
        #expect(iq.lifescanMeter == .verioIQ)
        #expect(try DeviceProfile.parse(Self.profile(section: ""), file: "t", families: .builtIn).lifescanMeter == nil)
    }

    /// Risk: a typo silently falls back to the UltraEasy conversation, which a Verio IQ never answers.
    @Test(arguments: [
        ("lifescan:\n  meter: verio", "must be one of ultra-easy, verio-iq"),
        ("lifescan:\n  model: verio-iq", "'lifescan.meter' is required"),
        ("lifescan:\n  meter: verio-iq\n  baud: 9600", "baud"),
    ])
    func mistakesAreRefused(_ section: String, _ message: String) {
        let checked = DeviceProfile.check(Self.profile(section: section), file: "t.yaml", families: .builtIn)
        #expect(checked.profile == nil)
        #expect(checked.errors.first?.description.contains(message) == true, "\(checked.errors)")
    }

    @Test func anotherProtocolCannotNameALifeScanMeter() {
        let text = Self.profile("onetouch-ultra2", section: "lifescan:\n  meter: verio-iq")
        #expect(DeviceProfile.check(text, file: "t", families: .builtIn).errors.first?.description.contains("only for protocols that read it") == true)
    }
}
