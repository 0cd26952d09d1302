import Sessions
import DeviceProfiles
import PocGateCore
import Testing

/// `match.bluetooth` rules: parsing, scoring next to USB rules, and ties between bridge profiles.
@Suite struct BluetoothMatchTests {
    static func profile(_ id: String, match: String, proto: String = "taidoc-td42xx") throws -> DeviceProfile {
        try DeviceProfile.parse("""
            id: \(id)
            version: 1
            name: \(id)
            protocol: \(proto)
            match:
            \(match.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            line:
              baud: 9600
            """, file: "\(id).yaml", families: .builtIn)
    }

    static func rfcomm(_ address: String, name: String? = nil) -> PortDescription {
        PortDescription(devnode: "/dev/rfcomm0", syspath: "/sys/devices/virtual/tty/rfcomm0",
                        bluetooth: BluetoothIdentity(address: address, channel: 1, name: name))
    }

    @Test func rulesParseInCanonicalForm() throws {
        let p = try Self.profile("bp", match: """
            bluetooth:
              - address: "00:1a:7d:da:71:13"
              - oui: "00-09-1F"
                name_prefix: "A&D"
            probe_order: 20
            """)
        #expect(p.match.usb.isEmpty)
        #expect(p.match.bluetooth == [BluetoothMatch(address: "00:1A:7D:DA:71:13"),
                                      BluetoothMatch(oui: "00:09:1F", namePrefix: "A&D")])
        #expect(p.match.probeOrder == 20)
    }

    @Test(arguments: [
        ("bluetooth:\n  - address: \"00:11:22:33:44\"", "must be a Bluetooth address"),
        ("bluetooth:\n  - oui: \"00:11\"", "first three bytes"),
        ("bluetooth:\n  - address: \"00:11:22:33:44:55\"\n    oui: \"00:11:22\"", "names both"),
        ("bluetooth:\n  - name_prefix: \"\"", "non-empty"),
        ("bluetooth:\n  - channel: 1", "unknown key"),
        ("probe_order: 1", "at least one rule"),
    ])
    func badRulesAreExplained(match: String, expected: String) {
        #expect {
            _ = try Self.profile("bad", match: match)
        } throws: { error in
            (error as? YAMLIssue)?.message.contains(expected) == true
        }
    }

    @Test func addressBeatsOUIAndNameNarrows() throws {
        let byOUI = try Self.profile("by-oui", match: "bluetooth:\n  - oui: \"00:11:22\"")
        let byName = try Self.profile("by-name", match: "bluetooth:\n  - oui: \"00:11:22\"\n    name_prefix: BPM")
        let byAddress = try Self.profile("by-address", match: "bluetooth:\n  - address: \"00:11:22:33:44:55\"")
        let usbOnly = try Self.profile("usb", match: "usb:\n  - vendor: 0x067b\n    product: 0x2303")
        let catalog = ProfileCatalog([usbOnly, byOUI, byName, byAddress])
        #expect(catalog.match(Self.rfcomm("00:11:22:33:44:55"))?.id == "by-address")
        #expect(catalog.match(Self.rfcomm("00:11:22:99:99:99"))?.id == "by-oui")
        #expect(catalog.match(Self.rfcomm("00:11:22:99:99:99", name: "BPM-300"))?.id == "by-name")
        #expect(catalog.match(Self.rfcomm("AA:BB:CC:00:00:00", name: "BPM-300")) == nil)
        // A USB rule never claims an RFCOMM port, a Bluetooth rule never a USB one.
        let usb = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x067b, productID: 0x2303))
        #expect(catalog.candidates(usb).map(\.id) == ["usb"])
    }

    @Test func tiedBridgeProfilesAreOrderedByLiveSessionThenProbeOrder() throws {
        let rule = "usb:\n  - vendor: 0x067b\n    product: 0x2303"
        let replayOnly = try Self.profile("replay-only", match: rule + "\nprobe_order: 1", proto: "kiosk-aa55")
        let late = try Self.profile("late", match: rule)
        let second = try Self.profile("second", match: rule + "\nprobe_order: 20")
        let first = try Self.profile("first", match: rule + "\nprobe_order: 10")
        let pinned = try Self.profile("pinned", match: rule + "\n    product_name: Nexus Cable")
        let catalog = ProfileCatalog([replayOnly, late, second, first, pinned])
        let bare = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x067b, productID: 0x2303))
        #expect(catalog.candidates(bare).map(\.id) == ["first", "second", "late", "replay-only"])
        #expect(catalog.match(bare)?.id == "first")
        // The product string is more specific than any bare id: no tie, no probe.
        var named = bare
        named.usb?.product = "Nexus Cable"
        #expect(catalog.candidates(named).map(\.id) == ["pinned"])
    }
}
