import Foundation
import PocGateCore
import TestSupport

/// One line `pocgate devices --json` printed: an event name and, for port events, the port
/// and the profile verdict.
struct DevicesLine: Decodable, Equatable, CustomStringConvertible {
    var event: String
    var port: PortDescription?
    var profile: String?
    var why: String?
    /// A Bluetooth LE device's link, as BlueZ states it.
    var ble: Link?
    /// What a `note` line says.
    var note: String?

    struct Link: Decodable, Equatable {
        var rssi: Int?
        var connected: Bool
        var paired: Bool
    }

    init(_ event: String, _ port: PortDescription? = nil) {
        self.event = event
        self.port = port
    }

    var description: String { "\(event) \(port?.devnode ?? "")" }

    /// The line without its verdict, to compare events and identities alone.
    var withoutVerdict: DevicesLine { DevicesLine(event, port) }
}

/// `pocgate devices` as the umockdev tests run it.
enum DevicesCommand {
    /// The built `pocgate`; a path that fails loudly when it was not built.
    static var path: String {
        BuiltProducts.executable(named: "pocgate")?.path
            ?? BuiltProducts.directory.appendingPathComponent("pocgate").path
    }

    /// The shipped profiles.
    static let profiles = UmockdevHarness.repositoryRoot.appendingPathComponent("DeviceProfiles").path

    /// A system bus address where no bus listens: BlueZ is not reachable there.
    static let noBus = "unix:path=/nonexistent/pocgate-test/system_bus_socket"

    /// The start of a command line that runs the rest with `DBUS_SYSTEM_BUS_ADDRESS` set to `bus`.
    static func on(bus: String = noBus) -> [String] { ["/usr/bin/env", "DBUS_SYSTEM_BUS_ADDRESS=\(bus)"] }

    /// `pocgate devices --json --verbose --profiles <repo>/DeviceProfiles` plus `extra`, with
    /// `DBUS_SYSTEM_BUS_ADDRESS` set to `bus` (default: no bus, so the host's BlueZ never
    /// shows up in a test).
    static func command(bus: String = noBus, _ extra: String...) -> [String] {
        on(bus: bus) + [path, "devices", "--json", "--verbose", "--profiles", profiles] + extra
    }

    /// The JSON lines of the command's stdout but `note` lines; a line that is not JSON fails decoding.
    static func lines(_ run: UmockdevRun) throws -> [DevicesLine] {
        try allLines(run).filter { $0.event != "note" }
    }

    /// Every JSON line of the command's stdout.
    static func allLines(_ run: UmockdevRun) throws -> [DevicesLine] {
        try run.daemonStdout.split(separator: "\n").map { line in
            try JSONDecoder().decode(DevicesLine.self, from: Data(line.utf8))
        }
    }
}

/// The cables the harness emulates (Tests/Harness/mock_devices.py).
enum MockCable {
    static let rootHub = "/sys/devices/pci0000:00/0000:00:14.0/usb1"
    static let pl2303 = USBIdentity(vendorID: 0x067B, productID: 0x2303, serial: "A1B2C3D4",
                                    manufacturer: "Prolific Technology Inc.", product: "USB-Serial Controller")

    /// The tty of a cable on root-hub `port` (`1-1`) named `tty` (`ttyUSB0`).
    static func port(_ port: String, _ tty: String, usb: USBIdentity? = pl2303) -> PortDescription {
        PortDescription(devnode: "/dev/\(tty)", syspath: "\(rootHub)/\(port)/\(port):1.0/\(tty)/tty/\(tty)", usb: usb)
    }

    static let uart = PortDescription(devnode: "/dev/ttyS0", syspath: "/sys/devices/platform/serial8250/tty/ttyS0")
    static let rfcomm = PortDescription(devnode: "/dev/rfcomm0", syspath: "/sys/devices/virtual/tty/rfcomm0")
}

/// The HID devices the harness emulates (Tests/Harness/hid_device.py).
enum MockHID {
    /// A hidraw node of a device on root-hub `port`, interface 0.
    static func port(_ port: String, _ node: String, vendor: String, product: String, usb: USBIdentity) -> PortDescription {
        PortDescription(devnode: "/dev/\(node)",
                        syspath: "\(MockCable.rootHub)/\(port)/\(port):1.0/0003:\(vendor):\(product).\(String(format: "%04X", Int(node.dropFirst(6))! + 1))/hidraw/\(node)",
                        usb: usb, transport: .hidraw, usbInterface: 0)
    }

    static let cp2110 = USBIdentity(vendorID: 0x10C4, productID: 0xEA80, serial: "A1B2C3D4", manufacturer: "Silicon Labs",
                                    product: "CP2110 HID USB-to-UART Bridge")
    static let keyboard = USBIdentity(vendorID: 0x046D, productID: 0xC31C, manufacturer: "Logitech", product: "USB Keyboard")
}
