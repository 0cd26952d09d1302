import Foundation
import DeviceProfiles
import PocGateCore
import Sessions
import Testing

/// `transport:` and `match.usb[].interface`: a profile claims only ports of its transport's
/// kind, so a tty profile never drives a hidraw node (or a BLE device) that carries the same ids.
@Suite struct ProfileTransportTests {
    static func profile(transport: String?, usb: String = "  - vendor: 0x10c4\n    product: 0xea80",
                        line: Bool = true) throws -> DeviceProfile {
        var text = "id: t\nversion: 1\nname: t\nprotocol: taidoc-td42xx\n"
        if let transport { text += "transport: \(transport)\n" }
        text += "match:\n  usb:\n\(usb)\n"
        if line { text += "line:\n  baud: 19200\n" }
        return try DeviceProfile.parse(text, file: "t.yaml", families: .builtIn)
    }

    static let usb = USBIdentity(vendorID: 0x10c4, productID: 0xea80)
    static let tty = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x/ttyUSB0", usb: usb)
    static func hidraw(interface: Int? = 0) -> PortDescription {
        PortDescription(devnode: "/dev/hidraw0", syspath: "/sys/x/hidraw0", usb: usb, transport: .hidraw,
                        usbInterface: interface)
    }

    @Test func aTTYProfileNeverClaimsAHidrawNodeWithTheSameIDs() throws {
        let p = try Self.profile(transport: nil)
        #expect(p.transport == .tty)
        #expect(p.match.score(Self.tty) == 1)
        #expect(p.match.score(Self.hidraw()) == 0)
    }

    @Test func aHIDProfileClaimsOnlyHidrawNodes() throws {
        let p = try Self.profile(transport: "cp2110")
        #expect(p.transport == .cp2110)
        #expect(p.match.score(Self.hidraw()) == 1)
        #expect(p.match.score(Self.tty) == 0)
        let ble = PortDescription(devnode: "/org/bluez/hci0/dev_00_11_22_33_44_55", syspath: "",
                                  bluetooth: BluetoothIdentity(address: "00:11:22:33:44:55"), transport: .ble)
        #expect(p.match.score(ble) == 0)
    }

    @Test func anInterfaceRuleNarrowsAndScoresHigher() throws {
        let p = try Self.profile(transport: "hid", usb: "  - vendor: 0x10c4\n    product: 0xea80\n    interface: 1", line: false)
        #expect(p.match.score(Self.hidraw(interface: 1)) == 2)
        #expect(p.match.score(Self.hidraw(interface: 0)) == 0)
        #expect(p.match.score(Self.hidraw(interface: nil)) == 0)
    }

    @Test func lineIsRequiredOnlyWhereItApplies() throws {
        #expect(try Self.profile(transport: "hid", line: false).transport == .hid)
        #expect(try Self.profile(transport: "ble-gatt", line: false).transport == .bleGATT)
        for needsLine in ["tty", "cp2110"] {
            #expect {
                _ = try Self.profile(transport: needsLine, line: false)
            } throws: { error in
                (error as? YAMLIssue)?.message.contains("line") == true
            }
        }
    }

    @Test func anUnknownTransportIsRefusedNamingTheChoices() {
        #expect {
            _ = try Self.profile(transport: "usb-hid")
        } throws: { error in
            guard let message = (error as? YAMLIssue)?.message else { return false }
            return message.contains("transport") && message.contains("cp2110")
        }
    }

    @Test func aPortDescribedBeforeTransportsExistedDecodesAsATTY() throws {
        let old = #"{"devnode":"/dev/ttyUSB0","syspath":"/sys/x"}"#
        let port = try JSONDecoder().decode(PortDescription.self, from: Data(old.utf8))
        #expect(port.transport == .tty)
        #expect(port.usbInterface == nil)
        let again = try JSONDecoder().decode(PortDescription.self, from: JSONEncoder().encode(Self.hidraw(interface: 2)))
        #expect(again == Self.hidraw(interface: 2))
    }
}
