import DeviceProfiles
import Foundation
import PocGateCore
import Sessions
import Testing

/// `transport: ble-uart` profiles and their `ble:` section.
@Suite struct BLESerialProfileTests {
    static let base = """
        id: ble-meter
        version: 1
        name: BLE meter
        protocol: taidoc-td42xx
        transport: ble-uart
        match:
          bluetooth:
            - address: "C0:26:DA:00:42:77"

        """

    static func parse(_ extra: String) throws(YAMLIssue) -> DeviceProfile {
        try DeviceProfile.parse(base + extra, file: "t.yaml", families: .builtIn)
    }

    @Test func shippedSerialOverBLEProfilesLoadDisabledWithCanonicalUUIDs() throws {
        let (catalog, issues) = ProfileCatalog.load(directories: [DeviceProfileTests.repo + "/DeviceProfiles"], families: .builtIn)
        #expect(issues.isEmpty, "\(issues)")
        let fora = try #require(catalog.profile(id: "taidoc-fora-ble"))
        #expect(fora.transport == .bleUART && !fora.enabled)
        #expect(fora.bleSerial == BLESerialSettings(service: "00001523-1212-efde-1523-785feabcd123",
                                                    write: "00001524-1212-efde-1523-785feabcd123",
                                                    notify: "00001524-1212-efde-1523-785feabcd123", writeWithResponse: true))
        let ffe0 = try #require(catalog.profile(id: "generic-ble-uart-ffe0"))
        #expect(ffe0.bleSerial == BLESerialSettings(service: "0000ffe0-0000-1000-8000-00805f9b34fb",
                                                    write: "0000ffe1-0000-1000-8000-00805f9b34fb",
                                                    notify: "0000ffe1-0000-1000-8000-00805f9b34fb", writeWithResponse: false))
        let nus = try #require(catalog.profile(id: "generic-ble-uart-nordic"))
        #expect(nus.bleSerial?.write == "6e400002-b5a3-f393-e0a9-e50e24dcca9e")
        #expect(nus.bleSerial?.notify == "6e400003-b5a3-f393-e0a9-e50e24dcca9e")
        #expect(!nus.enabled && !ffe0.enabled)
    }

    @Test func upperCaseAndShortFormsBecomeCanonical() throws {
        let p = try Self.parse("""
            ble:
              service: "0xFFE0"
              write: "6E400002-B5A3-F393-E0A9-E50E24DCCA9E"
              notify: "FFE1"
            """)
        #expect(p.bleSerial?.service == "0000ffe0-0000-1000-8000-00805f9b34fb")
        #expect(p.bleSerial?.write == "6e400002-b5a3-f393-e0a9-e50e24dcca9e")
        #expect(p.bleSerial?.writeWithResponse == true)
    }

    @Test func bleUARTWithoutItsCharacteristicsIsRefused() {
        #expect { try Self.parse("") } throws: { ($0 as? YAMLIssue)?.message.contains("needs a 'ble' section") == true }
    }

    @Test func aBadUUIDIsRefusedAtItsKey() {
        #expect {
            try Self.parse("""
                ble:
                  service: "ffe0"
                  write: "ffe1-0000"
                  notify: "ffe1"
                """)
        } throws: { e in
            guard let issue = e as? YAMLIssue else { return false }
            return issue.message.contains("'ble.write' must be a UUID") && issue.line == 11
        }
    }

    @Test func bleSectionOnATTYProfileIsRefused() {
        let text = DeviceProfileTests.minimal + "\nble:\n  service: ffe0\n  write: ffe1\n  notify: ffe1\n"
        #expect { try DeviceProfile.parse(text, file: "t.yaml", families: .builtIn) } throws: {
            ($0 as? YAMLIssue)?.message.contains("only for 'transport: ble-uart'") == true
        }
    }

    @Test func anAdvertisedServiceRuleMatchesOnlyADeviceAdvertisingIt() throws {
        let text = Self.base.replacingOccurrences(of: "- address: \"C0:26:DA:00:42:77\"", with: "- service: \"FFE0\"")
            + "ble:\n  service: ffe0\n  write: ffe1\n  notify: ffe1\n"
        let p = try DeviceProfile.parse(text, file: "t.yaml", families: .builtIn)
        #expect(p.match.bluetooth == [BluetoothMatch(service: "0000ffe0-0000-1000-8000-00805f9b34fb")])
        func port(_ services: [String]?) -> PortDescription {
            PortDescription(devnode: "/org/bluez/hci0/dev_X", syspath: "/org/bluez/hci0/dev_X",
                            bluetooth: BluetoothIdentity(address: "C0:26:DA:00:42:77", services: services), transport: .ble)
        }
        #expect(p.match.score(port(["0000ffe0-0000-1000-8000-00805f9b34fb"])) == 1)
        #expect(p.match.score(port(["0000180d-0000-1000-8000-00805f9b34fb"])) == 0)
        #expect(p.match.score(port(nil)) == 0)
        let bad = Self.base.replacingOccurrences(of: "- address: \"C0:26:DA:00:42:77\"", with: "- service: \"phone\"")
        #expect { try DeviceProfile.parse(bad, file: "t.yaml", families: .builtIn) } throws: {
            ($0 as? YAMLIssue)?.message.contains("must be a service UUID") == true
        }
    }
}
