/// A port the gateway found (a tty, a hidraw node, a BLE device), and what is known about
/// the hardware behind it.
///
/// Discovery fills it from udev (or BlueZ); profiles match against it.
public struct PortDescription: Sendable, Hashable, Codable {
    /// The device node to open, e.g. `/dev/ttyUSB0` or `/dev/hidraw0`; for a BLE device, its
    /// BlueZ object path.
    public var devnode: String
    /// What kind of link the port is.
    public var transport: PortTransport
    /// The USB interface number (`bInterfaceNumber`) the node belongs to, when it sits on USB
    /// and the kernel says (a HID device may have several interfaces).
    public var usbInterface: Int?
    /// The kernel's sysfs path of the tty, unique per plug-in.
    public var syspath: String
    /// The USB parent's identity, when the tty sits on USB.
    public var usb: USBIdentity?
    /// The remote device's identity, when the tty is a Bluetooth RFCOMM link.
    public var bluetooth: BluetoothIdentity?

    public init(devnode: String, syspath: String, usb: USBIdentity? = nil, bluetooth: BluetoothIdentity? = nil,
                transport: PortTransport = .tty, usbInterface: Int? = nil) {
        self.devnode = devnode
        self.transport = transport
        self.usbInterface = usbInterface
        self.syspath = syspath
        self.usb = usb
        self.bluetooth = bluetooth
    }

    private enum CodingKeys: String, CodingKey { case devnode, transport, usbInterface, syspath, usb, bluetooth }

    /// Decodes a description written before ports had a transport as a tty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        devnode = try c.decode(String.self, forKey: .devnode)
        transport = try c.decodeIfPresent(PortTransport.self, forKey: .transport) ?? .tty
        usbInterface = try c.decodeIfPresent(Int.self, forKey: .usbInterface)
        syspath = try c.decode(String.self, forKey: .syspath)
        usb = try c.decodeIfPresent(USBIdentity.self, forKey: .usb)
        bluetooth = try c.decodeIfPresent(BluetoothIdentity.self, forKey: .bluetooth)
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
