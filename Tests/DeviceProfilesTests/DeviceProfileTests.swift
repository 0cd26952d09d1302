import Sessions
import Foundation
import Testing
import DeviceProfiles
import PocGateCore

@Suite struct DeviceProfileTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let minimal = """
        id: test-meter
        version: 2
        name: Test meter
        protocol: taidoc-td42xx
        match:
          usb:
            - vendor: 0x067b
              product: 0x2303
        line:
          baud: 19200
        """

    @Test func shippedTD4277ProfileLoads() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [Self.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        let p = try #require(catalog.profile(id: "taidoc-td4277"))
        #expect(p.protocol == .taidocTD42xx)
        #expect(p.line == LineSettings(baud: 19200, dataBits: 8, parity: .none, stopBits: 1, flowControl: .none))
        #expect(p.match.usb.first?.vendorID == 0x067b && p.match.usb.first?.productID == 0x2303)
        #expect(p.contentHash.count == 16)
    }

    @Test func defaultsApply() throws {
        let p = try DeviceProfile.parse(Self.minimal, file: "t.yaml", families: .builtIn)
        #expect(p.session == SessionSettings())
        #expect(p.kind == "glucose-meter")
        #expect(p.version == 2)
    }

    @Test func unknownKeyIsLocated() {
        let text = Self.minimal + "\n  speed: 9600\n"
        #expect {
            _ = try DeviceProfile.parse(text, file: "bad.yaml", families: .builtIn)
        } throws: { error in
            let issue = error as? YAMLIssue
            return issue?.line == 11 && issue?.description.contains("bad.yaml:11:") == true
                && issue?.message.contains("unknown key 'line.speed'") == true
        }
    }

    @Test(arguments: [
        ("baud: 19200", "baud: 12345", "not a standard rate"),
        ("protocol: taidoc-td42xx", "protocol: nonsense", "must be one of"),
        ("version: 2", "version: two", "whole number"),
        ("      product: 0x2303", "      product: 0x12345", "whole number from 0 to 65535"),
        ("id: test-meter", "id: test meter!", "may contain only"),
    ])
    func badValuesAreExplained(original: String, replacement: String, expected: String) {
        let text = Self.minimal.replacingOccurrences(of: original, with: replacement)
        #expect {
            _ = try DeviceProfile.parse(text, file: "bad.yaml", families: .builtIn)
        } throws: { error in
            (error as? YAMLIssue)?.message.contains(expected) == true && (error as? YAMLIssue)?.line ?? 0 > 0
        }
    }

    @Test func missingSectionAndBrokenYAML() {
        #expect(throws: YAMLIssue.self) { try DeviceProfile.parse("id: x\nversion: 1\nname: n\nprotocol: taidoc-td42xx\nline: {baud: 9600}\n", file: "f", families: .builtIn) }
        #expect(throws: YAMLIssue.self) { try DeviceProfile.parse("id: [unclosed\n", file: "f", families: .builtIn) }
        #expect(throws: YAMLIssue.self) { try DeviceProfile.parse("", file: "f", families: .builtIn) }
    }

    @Test func brokenProfileDoesNotStopOthers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.minimal.write(toFile: dir + "/good.yaml", atomically: true, encoding: .utf8)
        try "id: broken\n".write(toFile: dir + "/broken.yaml", atomically: true, encoding: .utf8)
        try Self.minimal.write(toFile: dir + "/dup.yml", atomically: true, encoding: .utf8)
        let (catalog, issues) = ProfileCatalog.load(directories: [dir], families: .builtIn)
        #expect(catalog.profiles.map(\.id) == ["test-meter"])
        #expect(issues.count == 2)
    }

    @Test func matchingPrefersTheMostSpecificRule() throws {
        let generic = try DeviceProfile.parse(Self.minimal, file: "a", families: .builtIn)
        let specific = try DeviceProfile.parse(Self.minimal
            .replacingOccurrences(of: "id: test-meter", with: "id: specific")
            .replacingOccurrences(of: "      product: 0x2303", with: "      product: 0x2303\n      serial_prefix: ABC"), file: "b", families: .builtIn)
        let catalog = ProfileCatalog([generic, specific])
        let port = { (serial: String?) in
            PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x067b, productID: 0x2303, serial: serial))
        }
        #expect(catalog.match(port("ABC123"))?.id == "specific")
        #expect(catalog.match(port("XYZ"))?.id == "test-meter")
        #expect(catalog.match(PortDescription(devnode: "/dev/ttyS0", syspath: "/sys/y")) == nil)
        #expect(catalog.match(PortDescription(devnode: "/dev/ttyUSB1", syspath: "/sys/z", usb: USBIdentity(vendorID: 0x0403, productID: 0x6001))) == nil)
    }
}

/// Shipped profiles that share a generic USB bridge must not take a port from a profile whose
/// protocol pocgate can actually read.
@Suite struct ProfileTieTests {
    @Test func pl2303GoesToTheLiveTaiDocProfile() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        #expect(catalog.profiles.count >= 5)
        let port = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x067b, productID: 0x2303))
        #expect(catalog.match(port)?.id == "taidoc-td4277")
        // A CH340 is claimed by the two LifeScan profiles, both live: ordered for the probe.
        let ch340 = PortDescription(devnode: "/dev/ttyUSB1", syspath: "/sys/y", usb: USBIdentity(vendorID: 0x1a86, productID: 0x7523))
        #expect(catalog.candidates(ch340).map(\.id) == ["lifescan-onetouch-ultra2", "lifescan-onetouch-ultramini"])
        let abbott = PortDescription(devnode: "/dev/ttyUSB2", syspath: "/sys/z", usb: USBIdentity(vendorID: 0x1a61, productID: 0x3410))
        #expect(catalog.match(abbott)?.id == "abbott-freestyle-optium")
    }

    @Test func everyProtocolNameParses() throws {
        // A declarative profile also needs frame, records and readings (BrokenProfileTests).
        for family in FamilyTable.builtIn.families where family != .declarative {
            let text = DeviceProfileTests.minimal.replacingOccurrences(of: "taidoc-td42xx", with: family.rawValue)
            #expect(try DeviceProfile.parse(text, file: "t.yaml", families: .builtIn).protocol == family)
        }
    }
}
