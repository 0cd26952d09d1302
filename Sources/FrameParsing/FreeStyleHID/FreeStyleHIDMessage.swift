/// One message of the Abbott FreeStyle shared HID protocol (docs/protocols/freestyle-hid.md):
/// a 64-byte report holding a message type, a length (0…62) and that many payload bytes. The
/// reports are not numbered.
public struct FreeStyleHIDMessage: Sendable, Equatable {
    /// The size of every report, in and out.
    public static let reportSize = 64
    /// The most payload bytes one message carries.
    public static let maximumPayload = 62

    public var type: UInt8
    public var payload: [UInt8]

    public init(type: UInt8, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }

    /// The message in one input report, or nil when the report is shorter than its header or
    /// its length byte claims more than 62 bytes or more than the report holds (never read past
    /// the report).
    public static func parse(report: ArraySlice<UInt8>) -> FreeStyleHIDMessage? {
        guard report.count >= 2 else { return nil }
        let start = report.startIndex
        let length = Int(report[start + 1])
        guard length <= maximumPayload, length <= report.count - 2 else { return nil }
        return FreeStyleHIDMessage(type: report[start], payload: Array(report[(start + 2)..<(start + 2 + length)]))
    }

    /// The output report for this message: report id 0x00 (unnumbered reports; the kernel strips
    /// it), type, length, payload, zeros to 64 bytes. Nil for a payload over 62 bytes.
    public var outputReport: [UInt8]? {
        guard payload.count <= Self.maximumPayload else { return nil }
        var report: [UInt8] = [0x00, type, UInt8(payload.count)] + payload
        report += [UInt8](repeating: 0, count: Self.reportSize + 1 - report.count)
        return report
    }
}

/// The message types pocgate sends or understands (shared HID notes).
public enum FreeStyleHIDType {
    /// INIT, answered `0x71 01 01`.
    public static let initialize: UInt8 = 0x01
    public static let initializeReply: UInt8 = 0x71
    /// Pre-initialisation query answered `0x34` with one octet of unknown meaning.
    public static let query04: UInt8 = 0x04
    public static let query04Reply: UInt8 = 0x34
    /// QUERY SERIAL, answered `0x06` with the serial (or `00000000 (No SerialNum)`) and a NUL.
    public static let querySerial: UInt8 = 0x05
    public static let querySerialReply: UInt8 = 0x06
    /// QUERY SWVER, answered `0x35` with the software version and a NUL.
    public static let querySoftware: UInt8 = 0x15
    public static let querySoftwareReply: UInt8 = 0x35
    /// Text commands and their replies.
    public static let text: UInt8 = 0x60
    /// The synchronisation ("keep-alive") message some meters send between replies: skipped.
    public static let keepAlive: UInt8 = 0x22
    /// UNKNOWN COMMAND, payload `0x85`.
    public static let unknownCommand: UInt8 = 0x30
}
