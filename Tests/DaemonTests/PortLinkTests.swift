import Daemon
import DeviceProfiles
import Foundation
import PocGateCore
import Testing
import Transports

/// `PortLink` opens what the profile's transport says, and nothing for a BLE profile.
@Suite struct PortLinkTests {
    static func profile(_ transport: ProfileTransport) -> DeviceProfile {
        var p = DeviceProfile(id: "p-\(transport.rawValue)", version: 1, name: "p", kind: "glucose-meter", protocol: .taidocTD42xx,
                              match: MatchRules(usb: [USBMatch(vendorID: 0x10C4, productID: 0xEA80)], portTransport: transport.opens),
                              line: LineSettings(baud: 19200), session: SessionSettings(), sourceFile: "p.yaml",
                              contentHash: "0000000000000000")
        p.transport = transport
        return p
    }

    /// Risk: a BLE profile's device driven through a USB node. A port worker never opens one:
    /// the refusal names the profile and its transport.
    @Test func aBLEProfileIsNeverOpenedByAPortWorker() {
        for transport in [ProfileTransport.bleUART, .bleGATT] {
            #expect(!PortLink.opens(transport))
            let port = PortDescription(devnode: "/dev/hidraw0", syspath: "/sys/x", transport: .ble)
            #expect(throws: LinkError.notADevice(path: "/dev/hidraw0", found: "profile p-\(transport.rawValue) has transport "
                                                  + "\(transport.rawValue), which a port worker does not open")) {
                _ = try PortLink.open(port, profile: Self.profile(transport))
            }
        }
        #expect([ProfileTransport.tty, .hid, .cp2110].allSatisfy { PortLink.opens($0) })
    }

    /// A hidraw node that is not there is an open failure naming it; a plain file given as a
    /// hidraw or CP2110 node is refused before anything is written to it.
    @Test func hidTransportsOpenOnlyCharacterDevices() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pocgate-notanode-\(UUID().uuidString.prefix(8))").path
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: file) }
        for transport in [ProfileTransport.hid, .cp2110] {
            let port = PortDescription(devnode: file, syspath: "/sys/x", transport: .hidraw)
            #expect(throws: LinkError.notADevice(path: file, found: "not a character device")) {
                _ = try PortLink.open(port, profile: Self.profile(transport))
            }
        }
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) == 0)
    }
}
