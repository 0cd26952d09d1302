import Daemon
import Sessions
import DeviceProfiles
import PocGateCore

/// `pocgate profile list`: every loaded profile, one line each, and the files that failed;
/// control characters a file brought into a cell are escaped (`DeviceText`), tabs between cells.
public enum ProfileListing {
    public static func lines(directories: [String]) -> [String] {
        let (catalog, issues) = ProfileCatalog.load(directories: directories, families: .builtIn)
        var out = ["ID\tVERSION\tPROTOCOL\tMATCH\tFILE"]
        for p in catalog.profiles {
            var match = p.match.usb.map { rule in
                var s = "usb \(ProfileLintHex.hex(rule.vendorID)):\(ProfileLintHex.hex(rule.productID))"
                if let m = rule.manufacturer { s += " manufacturer=\(m)" }
                if let n = rule.product { s += " product=\(n)" }
                if let x = rule.serialPrefix { s += " serial^=\(x)" }
                return s
            }.joined(separator: ", ")
            if !p.enabled { match += " (disabled)" }
            out.append([p.id, "\(p.version)", p.protocol.rawValue, match, p.sourceFile].map(DeviceText.escaped).joined(separator: "\t"))
        }
        for i in issues { out.append(DeviceText.escaped("error: \(i)")) }
        return out
    }
}

/// Four hex digits of a USB id.
package enum ProfileLintHex {
    package static func hex(_ v: UInt16) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
