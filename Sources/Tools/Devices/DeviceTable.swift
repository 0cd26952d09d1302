import Daemon
package import PocGateCore

/// The human form of `pocgate devices`: one row per port, columns aligned.
package enum DeviceTable {
    package static let header = ["DEVICE", "TRANSPORT", "USB ID", "SERIAL", "PRODUCT", "PROFILE/WHY"]

    /// The cells of one port; `-` where the port has no such attribute. A hidraw node shows
    /// its USB id with ` hid:<interface>`. An RFCOMM port shows
    /// `bt <address>`, `ch <channel>` and its configured name in the USB columns; a Bluetooth
    /// LE device (`link` given) `bt <address>`, what BlueZ says of its link (`-58 dBm,
    /// connected, paired`) and its advertised name. USB strings come from the device: control
    /// characters in them are written as escapes.
    package static func cells(_ port: PortDescription, _ verdict: PortVerdict, link: BLELinkState? = nil) -> [String] {
        [port.devnode,
         port.transport.rawValue,
         port.usb.map { $0.idString + Self.hidSuffix(port) } ?? port.bluetooth.map { "bt \($0.address)" } ?? "-",
         port.usb?.serial ?? port.bluetooth?.channel.map { "ch \($0)" } ?? link?.text ?? "-",
         port.usb?.product ?? port.bluetooth?.name ?? "-",
         (verdict.profile ?? verdict.why ?? "-") + (verdict.problem.map { "  ! " + $0 } ?? "")].map(DeviceText.escaped)
    }

    /// ` hid:0` after the USB id of a hidraw node (its USB interface), nothing for a tty.
    private static func hidSuffix(_ port: PortDescription) -> String {
        guard port.transport == .hidraw else { return "" }
        return " hid" + (port.usbInterface.map { ":\($0)" } ?? "")
    }

    /// The header and the rows in the technician's language, each column padded to its
    /// widest cell (in terminal columns) but the last, columns two spaces apart.
    package static func render(_ rows: [[String]], _ t: TechnicianText = .current) -> [String] {
        let all = [header.map { t($0) }] + rows.map { row in row.indices.map { $0 == row.count - 1 ? t(row[$0]) : row[$0] } }
        let widths = header.indices.map { column in all.map { TechnicianText.displayWidth($0[column]) }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                column == row.count - 1 ? row[column] : TechnicianText.padded(row[column], to: widths[column])
            }.joined(separator: "  ")
        }
    }

    /// One port as a line of its own (a watch event), cells two spaces apart, in the
    /// technician's language.
    package static func line(_ port: PortDescription, _ verdict: PortVerdict, _ t: TechnicianText = .current) -> String {
        t(cells(port, verdict).joined(separator: "  "))
    }
}
