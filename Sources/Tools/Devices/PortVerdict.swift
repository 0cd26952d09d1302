import Daemon
import Sessions
public import DeviceProfiles
public import PocGateCore

/// Which profile claims a port, or why none does, in words a technician can act on.
///
/// Exactly one of `profile` and `why` is set. A port without USB identity is explained by
/// what it probably is; a USB port by the closest profile and the attributes that differ.
public struct PortVerdict: Sendable, Equatable {
    /// The id of the profile that claims the port; nil when none does.
    public var profile: String?
    /// Why no profile claims the port; nil when one does.
    public var why: String?
    /// What the running daemon found wrong with the device on the port ("not an SCP-ECG
    /// cart…"); nil when nothing, or when no daemon status could be read.
    public var problem: String?

    /// A verdict with the given parts, for tests and callers that already know.
    public init(profile: String?, why: String?) {
        self.profile = profile
        self.why = why
    }

    /// The verdict of `catalog` on `port`: `ProfileCatalog.match`, or an explanation. When
    /// several live profiles tie (a bare USB bridge id), no profile is named: the daemon's
    /// probe decides, and `why` says which candidates it probes in which order.
    public init(port: PortDescription, catalog: ProfileCatalog) {
        let candidates = catalog.candidates(port)
        let live = candidates.filter(\.hasLiveSession)
        if live.count > 1 {
            self.init(profile: nil, why: "probe decides: \(live.count) profiles claim \(Self.identity(port)) equally; "
                      + "the daemon sends each one's read-only identification request in this order: "
                      + live.map(\.id).joined(separator: ", "))
        } else if let matched = candidates.first {
            self.init(profile: matched.id, why: nil)
        } else {
            self.init(profile: nil, why: Self.reason(port: port, catalog: catalog))
        }
    }

    /// This verdict with what the running daemon's probe found on the port, when it probed it:
    /// `probe decides: …; the running daemon probed a (silent), b (answered: model 4277)`.
    /// This verdict with the problem the running daemon reports for the port, if any.
    public func adding(problem: String?) -> PortVerdict {
        var out = self
        out.problem = problem
        return out
    }

    public func adding(daemon verdict: String?) -> PortVerdict {
        guard let verdict, let why, why.hasPrefix("probe decides") else { return self }
        return PortVerdict(profile: nil, why: why + "; the running daemon " + verdict)
    }

    private static func identity(_ port: PortDescription) -> String {
        if let usb = port.usb {
            return "USB \(usb.idString)" + (port.transport == .hidraw ? " (HID" + (port.usbInterface.map { " interface \($0)" } ?? "") + ")" : "")
        }
        if let bt = port.bluetooth { return "Bluetooth \(bt.address)" }
        return port.devnode
    }

    /// Why no profile of `catalog` claims `port`.
    private static func reason(port: PortDescription, catalog: ProfileCatalog) -> String {
        if let bt = port.bluetooth { return bluetoothReason(bt, transport: port.transport, catalog: catalog) }
        guard let usb = port.usb else {
            return "\(Self.withoutUSB(port)): no profile matches ports without USB identity"
        }
        guard !catalog.profiles.isEmpty else { return "no profile: no device profiles are loaded" }
        // Only profiles that open this kind of port can claim it (a tty profile never takes a
        // hidraw node, a HID profile never a tty), whatever their ids.
        let sameKind = catalog.profiles.filter { $0.transport.opens == port.transport }
        let kind = port.transport == .hidraw ? "HID (hidraw)" : "tty"
        guard let closest = ClosestRule.find(for: usb, interface: port.usbInterface, in: sameKind) else {
            let otherKind = catalog.profiles.filter { p in p.match.usb.contains { $0.vendorID == usb.vendorID && $0.productID == usb.productID } }
            if !otherKind.isEmpty {
                return "no profile: a \(kind) port; USB \(usb.idString) is claimed only on another kind of port by "
                    + otherKind.prefix(3).map(\.id).joined(separator: ", ")
            }
            return "no profile: none of the \(catalog.profiles.count) loaded profiles has a USB rule for a \(kind) port"
        }
        return "no profile: closest \(closest.profile.id) \(closest.difference(from: usb, interface: port.usbInterface))"
    }

    /// Why no Bluetooth rule claims an RFCOMM port or a BLE device: what it states, and what
    /// the loaded rules for its kind of link want. An advertised name is quoted only in its
    /// `AdvertisedName.printable` form.
    private static func bluetoothReason(_ bt: BluetoothIdentity, transport: PortTransport, catalog: ProfileCatalog) -> String {
        let ble = transport == .ble
        let name = bt.name.map { "\"\(AdvertisedName.printable($0))\"" } ?? "unknown"
        let services = ble ? ", services " + ((bt.services ?? []).isEmpty ? "none advertised" : (bt.services ?? []).prefix(4).joined(separator: " ")) : ""
        let port = "Bluetooth \(ble ? "LE" : "RFCOMM") \(bt.address) (OUI \(bt.oui), name \(name)\(services))"
        let rules = catalog.profiles.filter { $0.enabled && $0.transport.opens == transport }.flatMap { p in p.match.bluetooth.map { (p.id, $0) } }
        guard !rules.isEmpty else {
            return ble ? "no profile: \(port); none of the \(catalog.profiles.count) loaded profiles has an enabled Bluetooth LE rule"
                : "no profile: \(port); none of the \(catalog.profiles.count) loaded profiles has a Bluetooth rule"
        }
        let wants = rules.prefix(3).map { id, rule in
            var parts: [String] = []
            if let a = rule.address { parts.append("address \(a)") }
            if let o = rule.oui { parts.append("OUI \(o)") }
            if let n = rule.namePrefix { parts.append("name starting \"\(n)\"") }
            if let s = rule.service { parts.append("service \(s)") }
            return "\(id) wants " + parts.joined(separator: " and ")
        }
        let nameHint = bt.name == nil && rules.contains { $0.1.namePrefix != nil }
            ? (ble ? " (the device has advertised no name)" : " (name rules need the name in bluetooth.devices of the configuration)") : ""
        return "no profile: \(port); " + wants.joined(separator: "; ") + nameHint
    }

    /// What a port without USB identity most likely is, judged by its sysfs path.
    private static func withoutUSB(_ port: PortDescription) -> String {
        let components = port.syspath.split(separator: "/")
        if components.contains(where: Self.isUSBBus) {
            return "USB parent with unreadable idVendor/idProduct"
        }
        if port.transport == .hidraw { return "no USB parent (a Bluetooth, I2C or virtual HID device)" }
        if components.last?.hasPrefix("rfcomm") == true { return "no USB parent (Bluetooth RFCOMM)" }
        if port.syspath.hasPrefix("/sys/devices/pci") { return "no USB parent (PCI UART)" }
        return "no USB parent (platform UART)"
    }

    /// A USB bus in sysfs: `usb1`, `usb2`…
    private static func isUSBBus(_ component: Substring) -> Bool {
        let digits = component.dropFirst(3)
        return component.hasPrefix("usb") && !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }
}

/// The USB rule, among all profiles, that comes nearest to claiming a port.
private struct ClosestRule {
    package let profile: DeviceProfile
    package let rule: USBMatch

    /// The nearest rule: same vendor and product beats same vendor beats same product;
    /// among those, fewer differing descriptor strings. Ties go to the profile loaded first.
    package static func find(for usb: USBIdentity, interface: Int?, in profiles: [DeviceProfile]) -> ClosestRule? {
        var best: (candidate: ClosestRule, idScore: Int, differences: Int)?
        for profile in profiles {
            for rule in profile.match.usb {
                let candidate = ClosestRule(profile: profile, rule: rule)
                let idScore = (rule.vendorID == usb.vendorID ? 2 : 0) + (rule.productID == usb.productID ? 1 : 0)
                let differences = candidate.descriptorDifferences(usb, interface: interface).count
                if let current = best,
                   (idScore, -differences) <= (current.idScore, -current.differences) { continue }
                best = (candidate, idScore, differences)
            }
        }
        return best?.candidate
    }

    /// What the rule wants that `usb` does not have, e.g. `wants USB 067b:2303, port is 1a86:7523`.
    package func difference(from usb: USBIdentity, interface: Int?) -> String {
        let wanted = USBIdentity(vendorID: rule.vendorID, productID: rule.productID)
        let differences = descriptorDifferences(usb, interface: interface)
        guard wanted.idString == usb.idString, !differences.isEmpty else {
            return "wants USB \(wanted.idString), port is \(usb.idString)"
        }
        return "wants " + differences.joined(separator: "; wants ")
    }

    /// The descriptor strings (and USB interface) the rule pins and the port does not have.
    private func descriptorDifferences(_ usb: USBIdentity, interface: Int?) -> [String] {
        var differences: [String] = []
        if let wanted = rule.interface, interface != wanted {
            differences.append("USB interface \(wanted), port is \(interface.map { "interface \($0)" } ?? "on no interface")")
        }
        if let wanted = rule.manufacturer, usb.manufacturer != wanted {
            differences.append("manufacturer \(Self.quoted(wanted)), port has \(Self.quoted(usb.manufacturer))")
        }
        if let wanted = rule.product, usb.product != wanted {
            differences.append("product \(Self.quoted(wanted)), port has \(Self.quoted(usb.product))")
        }
        if let wanted = rule.serialPrefix, usb.serial?.hasPrefix(wanted) != true {
            differences.append("a USB serial starting with \(Self.quoted(wanted)), port has \(Self.quoted(usb.serial))")
        }
        return differences
    }

    private static func quoted(_ text: String?) -> String {
        text.map { "\"\($0)\"" } ?? "none"
    }
}
