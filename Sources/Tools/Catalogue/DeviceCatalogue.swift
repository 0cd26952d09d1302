import PocGateCore
import Daemon
import Sessions
import DeviceProfiles
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// docs/DEVICES.md, generated from the shipped profiles so the catalogue cannot drift from them
/// (a test regenerates it and fails on any difference).
public enum DeviceCatalogue {
    /// The catalogue page for the profiles under `root` (the repository's `DeviceProfiles/`),
    /// with folder links relative to `docs/`.
    public static func markdown(root: String) -> String {
        let (catalog, issues) = ProfileCatalog.load(directories: [root], families: .builtIn)
        var md = """
            # Device catalogue

            Every device profile shipped in `DeviceProfiles/`, generated from the profiles themselves
            (`POCGATE_UPDATE_DOCS=1 swift test --filter DeviceCatalogueTests` rewrites this page). Each
            folder's README says which facts come from public documentation and which await a capture
            from a real unit. "Replay only" protocols decode captures (`pocgate replay`) but the daemon
            does not drive them yet: a port they claim is refused with a log line. "Connects as" names
            the transport when the device is not a tty: `(hid)` USB HID reports through a hidraw node,
            `(cp2110)` a UART behind a Silicon Labs CP2110 HID bridge, also a hidraw node.

            | Device | Profile | Kind | Protocol | Connects as | Live session | Captures |
            | --- | --- | --- | --- | --- | --- | --- |

            """
        let rootPrefix = root.hasSuffix("/") ? root : root + "/"
        for p in catalog.profiles.sorted(by: { $0.id < $1.id }) {
            let folder = URL(fileURLWithPath: p.sourceFile).deletingLastPathComponent().path
            let rel = folder.hasPrefix(rootPrefix) ? String(folder.dropFirst(rootPrefix.count)) : folder
            let captures = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/captures")) ?? [])
                .filter { $0.hasSuffix(".bin") || $0.hasSuffix(".pgcap") }.count
            let usb = p.match.usb.map { NumberText.printf("USB %04x:%04x", $0.vendorID, $0.productID) + ($0.product.map { " \"\($0)\"" } ?? "") }
            // A HID or BLE profile's ports are not ttys: say so, and through what.
            let over = p.transport == .tty ? "" : " (\(p.transport.rawValue))"
            let connects = p.transport.opens == .ble ? "Bluetooth LE (\(p.transport.rawValue))"
                : usb.isEmpty && !p.match.bluetooth.isEmpty && p.transport == .tty ? "Bluetooth serial (SPP: `pocgate bt bind`, or an rfcomm tty)"
                : usb.isEmpty ? "fixed port / other" : usb.joined(separator: ", ") + over
            md += "| [\(p.name)](../DeviceProfiles/\(rel)/) | `\(p.id)` | \(p.kind) | `\(p.protocol.rawValue)` | \(connects) | \(p.hasLiveSession ? "yes" : "replay only") | \(captures) |\n"
        }
        if !issues.isEmpty {
            md += "\nProfiles that did not load:\n\n" + issues.map { "- \($0)" }.joined(separator: "\n") + "\n"
        }
        return md
    }
}
