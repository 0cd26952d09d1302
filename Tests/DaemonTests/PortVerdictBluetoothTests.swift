import Tools
import Sessions
import Transports
@testable import Daemon
import DeviceProfiles
import PocGateCore
import Testing

/// `pocgate devices` verdicts for RFCOMM ports and for ports several bridge profiles tie on.
@Suite struct PortVerdictBluetoothTests {
    static func profile(_ id: String, usb: [USBMatch] = [], bluetooth: [BluetoothMatch] = [], order: Int? = nil) -> DeviceProfile {
        DeviceProfile(id: id, version: 1, name: id, kind: "glucose-meter", protocol: .taidocTD42xx,
                      match: MatchRules(usb: usb, bluetooth: bluetooth, probeOrder: order), line: LineSettings(baud: 9600),
                      session: SessionSettings(), sourceFile: "\(id).yaml", contentHash: "0")
    }

    static let rfcomm = PortDescription(devnode: "/dev/rfcomm0", syspath: "/sys/devices/virtual/tty/rfcomm0",
                                        bluetooth: BluetoothIdentity(address: "00:1A:7D:DA:71:13", channel: 1))

    @Test func aMatchingBluetoothRuleNamesItsProfile() {
        let bp = Self.profile("spp-bp", bluetooth: [BluetoothMatch(oui: "00:1A:7D")])
        #expect(PortVerdict(port: Self.rfcomm, catalog: ProfileCatalog([bp])) == PortVerdict(profile: "spp-bp", why: nil))
    }

    @Test func noBluetoothRuleSaysWhatThePortStates() {
        let usbOnly = Self.profile("usb", usb: [USBMatch(vendorID: 0x067b, productID: 0x2303)])
        #expect(PortVerdict(port: Self.rfcomm, catalog: ProfileCatalog([usbOnly])).why
                == "no profile: Bluetooth RFCOMM 00:1A:7D:DA:71:13 (OUI 00:1A:7D, name unknown); none of the 1 loaded profiles has a Bluetooth rule")
    }

    @Test func aNameRuleWithoutAKnownNameSaysWhereTheNameComesFrom() {
        let named = Self.profile("named", bluetooth: [BluetoothMatch(namePrefix: "BPM")])
        #expect(PortVerdict(port: Self.rfcomm, catalog: ProfileCatalog([named])).why
                == "no profile: Bluetooth RFCOMM 00:1A:7D:DA:71:13 (OUI 00:1A:7D, name unknown); named wants name starting \"BPM\""
                + " (name rules need the name in bluetooth.devices of the configuration)")
    }

    @Test func tiedBridgeProfilesLeaveTheChoiceToTheProbeInOrder() {
        let rule = [USBMatch(vendorID: 0x067b, productID: 0x2303)]
        let catalog = ProfileCatalog([Self.profile("second", usb: rule, order: 2), Self.profile("first", usb: rule, order: 1)])
        let port = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x", usb: USBIdentity(vendorID: 0x067b, productID: 0x2303))
        #expect(PortVerdict(port: port, catalog: catalog) == PortVerdict(profile: nil, why:
            "probe decides: 2 profiles claim USB 067b:2303 equally; the daemon sends each one's read-only identification request in this order: first, second"))
    }
}

/// The human table shows an RFCOMM port's address and channel in the identity columns.
@Suite struct DeviceTableBluetoothTests {
    @Test func rfcommRowsShowAddressAndChannel() {
        let lines = DeviceTable.render([DeviceTable.cells(PortVerdictBluetoothTests.rfcomm, PortVerdict(profile: "spp-bp", why: nil))])
        #expect(lines.last == "/dev/rfcomm0  tty        bt 00:1A:7D:DA:71:13  ch 1    -        spp-bp")
    }
}

/// `pocgate devices` adds the running daemon's probe verdict to a tied port's explanation.
@Suite struct PortVerdictDaemonTests {
    @Test func aProbedPortCarriesTheDaemonsVerdictOthersAreUnchanged() {
        let tied = PortVerdict(profile: nil, why: "probe decides: 2 profiles claim USB 067b:2303 equally; …: a, b")
        #expect(tied.adding(daemon: "probed a (silent), b (answered: model 4277)").why
                == "probe decides: 2 profiles claim USB 067b:2303 equally; …: a, b; the running daemon probed a (silent), b (answered: model 4277)")
        #expect(tied.adding(daemon: nil) == tied)
        let claimed = PortVerdict(profile: "taidoc-td4277", why: nil)
        #expect(claimed.adding(daemon: "probed x") == claimed)
    }
}
