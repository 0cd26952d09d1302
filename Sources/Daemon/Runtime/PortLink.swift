package import DeviceProfiles
package import PocGateCore
import Sessions
package import Transports

/// Opens the link a profile's transport says (`transport:`) on a discovered port: a tty at the
/// profile's line (`SerialPort`), a hidraw node (`HIDRawLink`), or a CP2110 bridge on a hidraw
/// node with its UART set to the profile's line (`CP2110Link`). BLE profiles are served by the
/// BLE side, never by a port worker, and a bound SPP device (`bt-spp`) is connected by BlueZ,
/// never opened as a node: asking for either here is refused.
package enum PortLink {
    package static func open(_ port: PortDescription, profile: DeviceProfile) throws(LinkError) -> any DeviceLink {
        guard port.transport != .btSPP else {
            throw .notADevice(path: port.devnode, found: "a bound Bluetooth serial device, which only BlueZ's Profile API connects")
        }
        switch profile.transport {
        case .tty:
            return try SerialPort(path: port.devnode, line: profile.line.tty)
        case .hid:
            return try HIDRawLink(path: port.devnode)
        case .cp2110:
            return try CP2110Link(path: port.devnode, line: profile.line.tty)
        case .bleUART, .bleGATT:
            throw .notADevice(path: port.devnode, found: "profile \(profile.id) has transport \(profile.transport.rawValue), "
                              + "which a port worker does not open")
        }
    }

    /// Whether a port worker can open ports for this transport.
    package static func opens(_ transport: ProfileTransport) -> Bool {
        switch transport {
        case .tty, .hid, .cp2110: true
        case .bleUART, .bleGATT: false
        }
    }
}
