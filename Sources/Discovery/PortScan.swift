import CUdev
import PocGateCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One pass over the subsystems whose nodes pocgate reads: `tty` and `hidraw`.
enum PortScan {
    /// The subsystems scanned and monitored.
    static let subsystems = ["tty", "hidraw"]

    /// Where the kernel puts ttys with no device behind them: virtual consoles, `/dev/tty`,
    /// `ptmx`, `console`, and RFCOMM ttys bound with `rfcomm bind`.
    static let virtualTTYDirectory = "/sys/devices/virtual/tty/"

    /// Whether `syspath` is a virtual tty other than RFCOMM: one `PortReader` skips for having
    /// no parent device. Told from the path, because building the device (libudev resolves
    /// every component of its path) is most of the scan's cost on a box with 64 consoles.
    static func isVirtualTTY(_ syspath: String) -> Bool {
        guard syspath.hasPrefix(virtualTTYDirectory) else { return false }
        let sysname = syspath.dropFirst(virtualTTYDirectory.count)
        return !sysname.contains("/") && !sysname.hasPrefix("rfcomm")
    }

    /// The qualifying ttys and hidraw nodes, in udev's order (sorted by syspath).
    static func ports(udev: OpaquePointer, reader: PortReader) throws(DiscoveryError) -> [PortDescription] {
        guard let enumerate = udev_enumerate_new(udev) else {
            throw .enumerationFailed(errno: errno == 0 ? ENOMEM : errno)
        }
        defer { udev_enumerate_unref(enumerate) }
        var status: Int32 = 0
        for subsystem in subsystems where status >= 0 {
            status = udev_enumerate_add_match_subsystem(enumerate, subsystem)
        }
        if status >= 0 { status = udev_enumerate_scan_devices(enumerate) }
        guard status >= 0 else { throw .enumerationFailed(errno: -status) }

        var ports: [PortDescription] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            entry = udev_list_entry_get_next(current)
            guard let name = udev_list_entry_get_name(current) else { continue }
            // Without building the device: most ttys of a box are virtual consoles, whose node
            // the kernel names after them.
            let syspath = String(cString: name)
            if isVirtualTTY(syspath) {
                let node = "/dev/" + syspath.dropFirst(virtualTTYDirectory.count)
                reader.logger.debug("skipping virtual tty without a parent device", metadata: ["device": "\(node)", "syspath": "\(syspath)"])
                continue
            }
            // A node can vanish between the scan and this call: nothing to report then.
            guard let device = udev_device_new_from_syspath(udev, name) else {
                reader.logger.debug("port vanished during the scan", metadata: ["syspath": "\(String(cString: name))"])
                continue
            }
            defer { udev_device_unref(device) }
            if let port = reader.port(for: device) { ports.append(port) }
        }
        return ports
    }
}
