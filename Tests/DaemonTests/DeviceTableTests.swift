import Tools
import Sessions
import Transports
@testable import Daemon
import Foundation
import PocGateCore
import Testing

/// The human form of `pocgate devices`.
@Suite struct DeviceTableTests {
    @Test func columnsAreAlignedAndMissingValuesAreDashes() {
        let cable = PortDescription(devnode: "/dev/ttyUSB0", syspath: "/sys/x/ttyUSB0",
                                    usb: USBIdentity(vendorID: 0x067B, productID: 0x2303, serial: "A1B2C3D4",
                                                     product: "USB-Serial Controller"))
        let uart = PortDescription(devnode: "/dev/ttyS0", syspath: "/sys/y/ttyS0")
        let lines = DeviceTable.render([
            DeviceTable.cells(cable, PortVerdict(profile: "taidoc-td4277", why: nil)),
            DeviceTable.cells(uart, PortVerdict(profile: nil, why: "no USB parent")),
        ])
        #expect(lines == [
            "DEVICE        TRANSPORT  USB ID     SERIAL    PRODUCT                PROFILE/WHY",
            "/dev/ttyUSB0  tty        067b:2303  A1B2C3D4  USB-Serial Controller  taidoc-td4277",
            "/dev/ttyS0    tty        -          -         -                      no USB parent",
        ])
    }

    @Test("garbage counters only: the port of a device that is not an SCP-ECG cart shows the daemon's problem, in text and JSON")
    func aPortWithADeviceProblemSaysSo() throws {
        let port = PortDescription(devnode: "/dev/ttyUSB3", syspath: "/sys/z/ttyUSB3",
                                   usb: USBIdentity(vendorID: 0x0403, productID: 0x6015, serial: "FT5XK2QA", product: "12-lead ECG cart"))
        let problem = "not an SCP-ECG cart: 4096 bytes arrived without an SCP-ECG record"
        let verdict = PortVerdict(profile: "generic-ecg-12-lead-cart", why: nil).adding(problem: problem)
        #expect(DeviceTable.line(port, verdict).hasSuffix("generic-ecg-12-lead-cart  ! " + problem))
        let json = String(decoding: try JSONEncoder().encode(DeviceLine("port", port, verdict)), as: UTF8.self)
        #expect(json.contains("\"problem\":\"not an SCP-ECG cart"))
        #expect(!String(decoding: try JSONEncoder().encode(DeviceLine("port", port, PortVerdict(profile: "x", why: nil))), as: UTF8.self)
            .contains("problem"))
    }
}
