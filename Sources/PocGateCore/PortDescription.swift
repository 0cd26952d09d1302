/// A serial port the gateway found, and what is known about the hardware behind it.
///
/// Discovery fills it from udev; profiles match against it.
public struct PortDescription: Sendable, Hashable, Codable {
    /// The device node to open, e.g. `/dev/ttyUSB0`.
    public var devnode: String
    /// The kernel's sysfs path of the tty, unique per plug-in.
    public var syspath: String
    /// The USB parent's identity, when the tty sits on USB.
    public var usb: USBIdentity?
    /// The remote device's identity, when the tty is a Bluetooth RFCOMM link.
    public var bluetooth: BluetoothIdentity?

    public init(devnode: String, syspath: String, usb: USBIdentity? = nil, bluetooth: BluetoothIdentity? = nil) {
        self.devnode = devnode
        self.syspath = syspath
        self.usb = usb
        self.bluetooth = bluetooth
    }
}

/// The identity of a USB device as its descriptors state it.
public struct USBIdentity: Sendable, Hashable, Codable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var serial: String?
    public var manufacturer: String?
    public var product: String?

    public init(vendorID: UInt16, productID: UInt16, serial: String? = nil,
                manufacturer: String? = nil, product: String? = nil) {
        self.vendorID = vendorID
        self.productID = productID
        self.serial = serial
        self.manufacturer = manufacturer
        self.product = product
    }

    /// `067b:2303` form.
    public var idString: String {
        func hex4(_ v: UInt16) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 4 - s.count) + s
        }
        return "\(hex4(vendorID)):\(hex4(productID))"
    }
}
