import PocGateCore

/// The Device Information Service's characteristics pocgate reads (Device Information Service
/// 1.1 / GATT Specification Supplement): model number (0x2A24), serial number (0x2A25),
/// firmware revision (0x2A26), manufacturer name (0x2A29), UTF-8 strings; and the System ID
/// (0x2A23).
public enum GATTDeviceInformation {
    public static let modelNumberUUID: UInt16 = 0x2A24
    public static let serialNumberUUID: UInt16 = 0x2A25
    public static let firmwareRevisionUUID: UInt16 = 0x2A26
    public static let manufacturerNameUUID: UInt16 = 0x2A29
    public static let systemIDUUID: UInt16 = 0x2A23

    /// A string characteristic as pocgate keeps it: UTF-8 (an invalid sequence becomes U+FFFD),
    /// NUL padding and trailing spaces dropped, control characters escaped and at most
    /// `DeviceText.maximumIdentityLength` characters. The second value says what was changed
    /// beyond the padding, for a problem line, or is nil. `what` names the field ("serial").
    public static func string(_ bytes: [UInt8], what: String) -> (text: String, problem: String?) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0 || bytes[end - 1] == 0x20 { end -= 1 }
        // Only look at as much as can be kept (four bytes a character at most), so a long value costs nothing.
        let limit = DeviceText.maximumIdentityLength * 4 + 4
        let text = String(decoding: bytes[0..<min(end, limit)], as: UTF8.self)
        return DeviceText.identity(text, what: what)
    }

    /// The System ID (8 bytes): a 40-bit manufacturer-defined identifier, then the 24-bit
    /// organizationally unique identifier, each little-endian.
    public struct SystemID: Sendable, Hashable, CustomStringConvertible {
        public var manufacturerIdentifier: UInt64
        public var organizationallyUniqueIdentifier: UInt32

        /// Decodes the eight bytes; bytes after them are ignored.
        public static func decode(_ bytes: [UInt8]) throws(GATTDecodeError) -> SystemID {
            var r = GATTReader(bytes, characteristic: "System ID")
            let low = UInt64(try r.u32("manufacturer identifier"))
            let high = UInt64(try r.u8("manufacturer identifier"))
            let oui = try r.u24("organizationally unique identifier")
            return SystemID(manufacturerIdentifier: low | high << 32, organizationallyUniqueIdentifier: oui)
        }

        /// `OUI:manufacturer id` in hex, the OUI as `AA:BB:CC`.
        public var description: String {
            let o = organizationallyUniqueIdentifier
            let parts = [o >> 16 & 0xFF, o >> 8 & 0xFF, o & 0xFF].map { v -> String in
                let s = String(v, radix: 16, uppercase: true)
                return s.count == 1 ? "0" + s : s
            }
            return parts.joined(separator: ":") + "/" + String(manufacturerIdentifier, radix: 16, uppercase: true)
        }
    }
}
