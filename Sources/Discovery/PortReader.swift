import CUdev
import Logging
import PocGateCore

/// Turns a libudev tty or hidraw device into a `PortDescription`, or explains (at debug) why not.
///
/// A tty qualifies when it has a device behind it: a parent device in sysfs (USB-serial,
/// CDC-ACM, a platform UART), or an RFCOMM tty, which the kernel puts under
/// /sys/devices/virtual/tty while it is bound but not yet connected. Virtual consoles,
/// /dev/tty, /dev/console and ptmx have no parent and are skipped; ptys never appear in sysfs.
struct PortReader: Sendable {
    let logger: Logger

    func port(for device: OpaquePointer) -> PortDescription? {
        guard let syspath = Self.string(udev_device_get_syspath(device)) else {
            logger.debug("skipping a tty without a sysfs path")
            return nil
        }
        guard let devnode = Self.string(udev_device_get_devnode(device)) else {
            logger.debug("skipping tty without a device node", metadata: ["syspath": "\(syspath)"])
            return nil
        }
        if Self.string(udev_device_get_subsystem(device)) == "hidraw" {
            return hidrawPort(device, devnode: devnode, syspath: syspath)
        }
        let sysname = Self.string(udev_device_get_sysname(device)) ?? ""
        guard udev_device_get_parent(device) != nil || sysname.hasPrefix("rfcomm") else {
            logger.debug("skipping virtual tty without a parent device",
                         metadata: ["device": "\(devnode)", "syspath": "\(syspath)"])
            return nil
        }
        if sysname.hasPrefix("rfcomm") {
            // Connected, the tty sits below the HCI connection (…/bluetooth/hci0/hci0:N/rfcomm0),
            // possibly on a USB dongle: the dongle's USB ids say nothing about the device.
            return PortDescription(devnode: devnode, syspath: syspath, bluetooth: bluetoothIdentity(of: device, devnode: devnode))
        }
        return PortDescription(devnode: devnode, syspath: syspath, usb: usbIdentity(of: device, devnode: devnode))
    }

    /// A hidraw node: the USB device's ids and the USB interface (`bInterfaceNumber`, two hex
    /// digits in sysfs) the HID function sits on. A node without a USB parent (Bluetooth HID,
    /// I2C, uhid) is reported without USB identity, so no USB rule claims it.
    private func hidrawPort(_ device: OpaquePointer, devnode: String, syspath: String) -> PortDescription {
        var interface: Int?
        if let usbInterface = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_interface") {
            interface = Self.usbID(Self.attribute(usbInterface, "bInterfaceNumber")).map(Int.init)
        }
        return PortDescription(devnode: devnode, syspath: syspath, usb: usbIdentity(of: device, devnode: devnode),
                               transport: .hidraw, usbInterface: interface)
    }

    /// The remote address and channel an RFCOMM tty states in sysfs (`address`, `channel`,
    /// set by the kernel's rfcomm driver for bound and connected ttys alike).
    private func bluetoothIdentity(of device: OpaquePointer, devnode: String) -> BluetoothIdentity? {
        let text = Self.attribute(device, "address")
        guard let text, let address = BluetoothIdentity.canonicalAddress(text), address != "00:00:00:00:00:00" else {
            logger.warning("RFCOMM tty has no readable remote address; reporting it without Bluetooth identity",
                           metadata: ["code": "\(LogCode.bluetoothAddressUnreadable)", "device": "\(devnode)",
                                      "address": "\(text ?? "missing")"])
            return nil
        }
        return BluetoothIdentity(address: address, channel: Self.attribute(device, "channel").flatMap { Int($0) })
    }

    /// The identity of the nearest USB device above the tty, when its ids are readable.
    private func usbIdentity(of device: OpaquePointer, devnode: String) -> USBIdentity? {
        // Owned by `device`: not unreferenced here.
        guard let usb = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_device") else {
            return nil
        }
        let vendorText = Self.attribute(usb, "idVendor")
        let productText = Self.attribute(usb, "idProduct")
        guard let vendor = Self.usbID(vendorText), let product = Self.usbID(productText) else {
            logger.warning("USB parent has unreadable idVendor/idProduct; reporting the port without USB identity",
                           metadata: ["code": "\(LogCode.usbIdentityUnreadable)", "device": "\(devnode)",
                                      "id_vendor": "\(vendorText ?? "missing")",
                                      "id_product": "\(productText ?? "missing")",
                                      "usb_path": "\(Self.string(udev_device_get_syspath(usb)) ?? "?")"])
            return nil
        }
        return USBIdentity(vendorID: vendor, productID: product,
                           serial: Self.attribute(usb, "serial"),
                           manufacturer: Self.attribute(usb, "manufacturer"),
                           product: Self.attribute(usb, "product"))
    }

    /// A sysfs USB id: one to four hex digits, as the kernel prints `%04x`.
    static func usbID(_ text: String?) -> UInt16? {
        guard let text, (1...4).contains(text.utf8.count),
              text.utf8.allSatisfy({ Self.isHexDigit($0) }) else { return nil }
        return UInt16(text, radix: 16)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }

    /// A sysfs attribute, nil when missing or empty.
    private static func attribute(_ device: OpaquePointer, _ name: String) -> String? {
        string(udev_device_get_sysattr_value(device, name))
    }

    /// A C string from libudev, nil when NULL or empty. Invalid UTF-8 (cheap cables) is repaired.
    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer, pointer.pointee != 0 else { return nil }
        return String(cString: pointer)
    }
}
