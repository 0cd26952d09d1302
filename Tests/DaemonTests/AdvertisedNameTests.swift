import Tools
import Sessions
import Transports
@testable import Daemon
import DeviceProfiles
import Foundation
import PocGateCore
import Testing

/// Names Bluetooth devices advertise are untrusted: what `pocgate devices` and `ble scan` print.
@Suite struct AdvertisedNameTests {
    @Test func ordinaryNamesAreUnchanged() {
        for name in ["TAIDOC TD4277", "Pixel 7", "血压计 BP-88", "Café • Glucose", String(repeating: "x", count: 40)] {
            #expect(AdvertisedName.printable(name) == name)
        }
    }

    /// Risk: an escape sequence or a bidirectional override in a phone's name rewriting the
    /// technician's terminal or reversing the verdict beside it.
    @Test func controlAndFormatCharactersAreDropped() {
        #expect(AdvertisedName.printable("BP\u{1B}[2J\u{07}\u{0}-88\r\n") == "BP[2J-88")
        #expect(AdvertisedName.printable("meter\u{202E}evil\u{2066}\u{200B}\u{FEFF}\u{2028}\u{85}") == "meterevil")
        #expect(AdvertisedName.printable("\u{1B}\u{7F}\u{9B}") == "")
    }

    /// Risk: a 248-byte name (or one letter under hundreds of combining marks) flooding a row.
    @Test func longNamesAndPilesOfCombiningMarksAreCut() {
        let long = AdvertisedName.printable(String(repeating: "A", count: 248))
        #expect(long == String(repeating: "A", count: 39) + "…")
        let zalgo = AdvertisedName.printable("a" + String(repeating: "\u{0301}", count: 500))
        #expect(zalgo.unicodeScalars.count == AdvertisedName.maximumLength)
        #expect(zalgo.hasSuffix("…"))
    }
}

/// A Bluetooth LE device as a row of `pocgate devices`.
@Suite struct BLEDeviceRowTests {
    static let meter = PortDescription(devnode: "/org/bluez/hci0/dev_C0_26_DA_00_42_77", syspath: "/org/bluez/hci0/dev_C0_26_DA_00_42_77",
                                       bluetooth: BluetoothIdentity(address: "C0:26:DA:00:42:77", name: "TAIDOC TD4277",
                                                                    services: ["00001523-1212-efde-1523-785feabcd123"]),
                                       transport: .ble)

    static func bleProfile(_ id: String, _ rule: BluetoothMatch, enabled: Bool = true) -> DeviceProfile {
        var p = PortVerdictBluetoothTests.profile(id)
        p.match = MatchRules(usb: [], bluetooth: [rule], portTransport: .ble)
        p.transport = .bleGATT
        p.enabled = enabled
        return p
    }

    @Test func aBLERowShowsTransportAddressLinkAndName() {
        let link = BLELinkState(rssi: -58, connected: true, paired: true)
        #expect(DeviceTable.cells(Self.meter, PortVerdict(profile: "fora-ble", why: nil), link: link)
                == [Self.meter.devnode, "ble", "bt C0:26:DA:00:42:77", "-58 dBm, connected, paired", "TAIDOC TD4277", "fora-ble"])
        #expect(BLELinkState(rssi: nil, connected: false, paired: false).text == "-")
    }

    @Test func aBLEPortLineCarriesItsLinkInJSON() throws {
        let line = DeviceLine("port", Self.meter, PortVerdict(profile: "fora-ble", why: nil),
                              link: BLELinkState(rssi: -58, connected: false, paired: true))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(line), as: UTF8.self)
        #expect(json.contains(#""ble":{"connected":false,"paired":true,"rssi":-58}"#), "\(json)")
        #expect(json.contains(#""transport":"ble""#))
        #expect(String(decoding: try encoder.encode(DeviceLine(note: "n")), as: UTF8.self) == #"{"event":"note","note":"n"}"#)
    }

    /// Risk: a BLE device explained as an RFCOMM tty, or with rules that can never claim it
    /// (a tty profile's, a disabled profile's). The reason names BLE, the advertised services
    /// and what the enabled BLE rules want.
    @Test func aBLEDeviceNoRuleClaimsIsExplainedAsBLEWithItsServices() {
        let glucose = Self.bleProfile("sig-glucose", BluetoothMatch(service: "00001808-0000-1000-8000-00805f9b34fb"))
        let off = Self.bleProfile("vendor-off", BluetoothMatch(oui: "C0:26:DA"), enabled: false)
        let spp = PortVerdictBluetoothTests.profile("spp-bp", bluetooth: [BluetoothMatch(oui: "00:1A:7D")])
        let catalog = ProfileCatalog([spp, off, glucose])
        #expect(PortVerdict(port: Self.meter, catalog: catalog).why
                == "no profile: Bluetooth LE C0:26:DA:00:42:77 (OUI C0:26:DA, name \"TAIDOC TD4277\", "
                + "services 00001523-1212-efde-1523-785feabcd123); sig-glucose wants service 00001808-0000-1000-8000-00805f9b34fb")
        var claimed = Self.meter
        claimed.bluetooth?.services = ["00001808-0000-1000-8000-00805f9b34fb"]
        #expect(PortVerdict(port: claimed, catalog: catalog) == PortVerdict(profile: "sig-glucose", why: nil))
    }
}
