/// The identity of a device that reports no serial number of its own (an ECG cart whose
/// records leave the device field blank): its USB serial, else this gateway and the port it
/// is plugged into. Never a shared placeholder: a FHIR Device created on "unknown" with
/// `ifNoneExist` would merge every serial-less device of every clinic into one.
public enum FallbackDeviceSerial {
    /// `usb:<USB serial>` when the USB device reports one, else `port:<gateway id>:<device node>`.
    public static func forPort(usbSerial: String?, gatewayID: String, devnode: String) -> String {
        if let usb = usbSerial, usb.contains(where: { $0 != " " }) { return usbPrefix + usb }
        return portPrefix + gatewayID + ":" + devnode
    }

    /// Whether `serial` is one of these identities rather than a serial the device reported:
    /// the FHIR Device then carries it as an identifier but not as `serialNumber`.
    public static func isFallback(_ serial: String) -> Bool {
        serial.hasPrefix(usbPrefix) || serial.hasPrefix(portPrefix)
    }

    static let usbPrefix = "usb:"
    static let portPrefix = "port:"
}
