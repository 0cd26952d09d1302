@testable import Daemon
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
            "DEVICE        USB ID     SERIAL    PRODUCT                PROFILE/WHY",
            "/dev/ttyUSB0  067b:2303  A1B2C3D4  USB-Serial Controller  taidoc-td4277",
            "/dev/ttyS0    -          -         -                      no USB parent",
        ])
    }
}
