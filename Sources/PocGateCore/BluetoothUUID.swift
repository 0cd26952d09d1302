/// A Bluetooth GATT UUID in BlueZ's canonical form: 128-bit, lower case, with dashes
/// (`0000ffe0-0000-1000-8000-00805f9b34fb`). Profiles may write the 16-bit or 32-bit short
/// form of a SIG-assigned UUID (`FFE0`, `0x1808`), which stands for that value in the
/// Bluetooth Base UUID.
public enum BluetoothUUID {
    /// The Bluetooth Base UUID's fixed tail.
    public static let baseTail = "-0000-1000-8000-00805f9b34fb"
    /// The Serial Port Profile (SPP) service class: classic Bluetooth serial devices.
    public static let serialPort = "00001101-0000-1000-8000-00805f9b34fb"

    /// `text` in canonical form, or nil when it is not a UUID.
    public static func canonical(_ text: String) -> String? {
        var t = text.lowercased()
        if t.hasPrefix("0x") { t.removeFirst(2) }
        guard !t.isEmpty, t.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
        if !t.contains("-"), t.count == 4 || t.count == 8 {
            return String(repeating: "0", count: 8 - t.count) + t + baseTail
        }
        let groups = t.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return nil }
        return t
    }

    /// The 16-bit short form (`180d`) when `uuid` (canonical) is in the Base UUID range, else
    /// the full UUID: what a technician recognises.
    public static func short(_ uuid: String) -> String {
        if uuid.hasSuffix(baseTail), uuid.hasPrefix("0000") { return String(uuid.dropFirst(4).prefix(4)) }
        return uuid
    }
}
